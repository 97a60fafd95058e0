"""The reference pages, packaged so that ``costshare guide`` shows them offline."""
