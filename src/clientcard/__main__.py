"""`python -m clientcard` runs the same command as the `clientcard` script."""

from clientcard.script import main

if __name__ == "__main__":
    main()
