#!/usr/bin/env bash
# Builds the one-folder program dist/metodset/ from packaging/metodset.spec (PyInstaller) and
# smoke-tests the built binary with tools/smoke_bundle.py. README: «Сборка для офисных ПК».
#
#   tools/build_bundle.sh              build, then check the result
#   tools/build_bundle.sh --no-smoke   build only
#
# PyInstaller comes from the `build` extra of pyproject.toml, installed into .venv (tools/venv.sh).
# Windows: docs/windows-build.md (the same spec, run there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
smoke=1
for arg in "$@"; do
  case "$arg" in
    --no-smoke) smoke=0 ;;
    *) echo "Неизвестный параметр: $arg (есть только --no-smoke)" >&2; exit 2 ;;
  esac
done

if ! command -v objdump >/dev/null 2>&1; then
  echo "Для сборки в Linux нужна программа objdump: установите пакет binutils (apt-get install binutils)." >&2
  exit 1
fi

source "$root/tools/venv.sh"
ensure_venv "build"
python="$root/.venv/bin/python"

cd "$root"
started=$SECONDS
echo "Сборка: PyInstaller $("$python" -m PyInstaller --version), packaging/metodset.spec → dist/metodset/" >&2
rm -rf "$root/dist/metodset"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$root/dist" --workpath "$root/build/pyinstaller" "$root/packaging/metodset.spec"
echo "Собрано за $((SECONDS - started)) с: dist/metodset ($(du -sh "$root/dist/metodset" | cut -f1))" >&2

if [ "$smoke" -eq 1 ]; then
  "$python" "$root/tools/smoke_bundle.py" "$root/dist/metodset"
fi
