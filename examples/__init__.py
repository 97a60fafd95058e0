"""The example programmes and annexes, installed with costshare (``costshare examples``)."""
