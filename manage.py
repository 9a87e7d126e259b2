#!/usr/bin/env python
from aescrm.cli import main

if __name__ == "__main__":
    main()
