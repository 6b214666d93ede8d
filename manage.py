#!/usr/bin/env python
from banding.cli import main

if __name__ == "__main__":
    main()
