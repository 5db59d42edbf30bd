# Shared by ./run and ./test: make sure .venv exists and holds the project
# installed with the given extras; reinstall only when pyproject.toml changed.
# Usage: ensure_venv "" | ensure_venv "test"
ensure_venv() {
  local extras="$1" root venv py stamp spec
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  venv="$root/.venv"
  py="${PYTHON:-python3}"
  if [ ! -x "$venv/bin/python" ]; then
    if ! command -v "$py" >/dev/null 2>&1; then
      echo "Не найден Python 3 (нужна версия 3.10 или новее). Установите python3 и python3-venv." >&2
      exit 1
    fi
    if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
      echo "Нужен Python 3.10 или новее, а найден: $("$py" --version 2>&1)." >&2
      exit 1
    fi
    echo "Создаю окружение .venv …" >&2
    "$py" -m venv "$venv" || { echo "Не удалось создать .venv (в Debian: apt-get install python3-venv)." >&2; exit 1; }
  fi
  spec="$root"
  [ -n "$extras" ] && spec="$root[$extras]"
  stamp="$venv/.installed-${extras:-base}"
  if [ ! -f "$stamp" ] || ! cmp -s "$root/pyproject.toml" "$stamp"; then
    echo "Устанавливаю зависимости в .venv …" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" >&2
    cp "$root/pyproject.toml" "$stamp"
  fi
}
