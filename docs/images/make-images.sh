#!/usr/bin/env bash
# Render the README's and the guide's pictures from the TeleHjerte example: the letter to Gentofte and the
# annex's first page, cropped and small. Needs costshare, LibreOffice (soffice) and pdftoppm.
# LibreOffice runs with a Danish profile, so the annex shows numbers as Danish Excel does.
# Usage: docs/images/make-images.sh [OUTDIR]   (default docs/images; tests write elsewhere)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-docs/images}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
costshare run examples/telehjerte-2025.toml --out "$work/pakke" >/dev/null
# The checksums of the files the pictures show: tests/cli/test_docs_commands.py fails when
# the example's output changes and the pictures were not made again.
(cd "$work/pakke" && sha256sum 157-gentofte.pdf finansiering-pr-kommune.xlsx) > "$out/sources.sha256"
mkdir -p "$work/lo/user"
cat > "$work/lo/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>da-DK</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>da-DK</value></prop></item>
</oor:items>
XCU
soffice -env:UserInstallation="file://$work/lo" --headless --convert-to pdf \
    --outdir "$work/annex" "$work/pakke/finansiering-pr-kommune.xlsx" >/dev/null 2>&1
pdftoppm -r 70 -png -gray -f 1 -l 1 -x 30 -y 40 -W 540 -H 520 -singlefile \
    "$work/pakke/157-gentofte.pdf" "$out/letter-gentofte"
pdftoppm -r 70 -png -f 1 -l 1 -x 20 -y 15 -W 780 -H 500 -singlefile \
    "$work/annex/finansiering-pr-kommune.pdf" "$out/annex-telehjerte"
ls -l "$out"/*.png "$out/sources.sha256"
