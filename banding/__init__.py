"""SiBanding: SOP 5.1.24/BBSPJIKFK/2025 (penanganan banding pelanggan), running."""
