"""Indonesian government working time: office hours, holidays, cuti bersama, overrides."""
