"""The documentation, packaged so that ``costshare guide`` shows it offline."""
