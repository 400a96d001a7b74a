#!/usr/bin/env bash
# Writes test/fixtures/libreoffice-proposal.xlsx: a proposal CSV converted to XLSX by LibreOffice
# Calc, the way a village operator without Excel produces one. LibreOffice turns the NIK column
# into numbers on CSV import (exact below 2^53) and ISO dates into real dates, which is exactly
# what the reader and the NIK rules must cope with. CI has no LibreOffice, so the result is
# committed and test/unit/spreadsheet/read-proposal-sheet.test.ts reads the committed file.
#   needs: apt-get install -y libreoffice-calc-nogui
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/libreoffice-proposal.csv" <<'CSV'
No,NIK,Nama Lengkap,Tanggal Lahir,Jenis Kelamin,Pekerjaan,Alamat
1,6203011205850001,Budi Santoso,1985-05-12,L,Petani,Desa Contoh RT 01
2,6203016308900010,Siti Aminah,1990-08-23,P,Pedagang,Desa Contoh RT 02
3,'6203014101800003,Rahmah,01/01/1980,P,Nelayan,Desa Contoh RT 03
CSV
# CSV filter options: comma (44), double quote (34), UTF-8 (76), start at line 1.
soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$work" "$work/libreoffice-proposal.csv" >/dev/null
cp "$work/libreoffice-proposal.xlsx" test/fixtures/libreoffice-proposal.xlsx
echo "wrote test/fixtures/libreoffice-proposal.xlsx ($(soffice --version | head -1))"
