"""`python -m asynclint`."""

from asynclint.launch import main

if __name__ == "__main__":
    main()
