"""The package's version, kept in a leaf so every layer can name it without importing the top."""

__version__ = "0.1.0"
