# shellcheck shell=bash
# Sourced by the scripts in this folder: makes sure .venv exists and holds the
# project (editable, with dev extras), then puts it first on PATH. Installing
# again only when pyproject.toml changed keeps repeated runs fast.

LEDGER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$LEDGER_ROOT"
VENV="$LEDGER_ROOT/.venv"
STAMP="$VENV/.installed"

_ledger_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

_ledger_needs_install() {
    [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]
}

# A venv copied from another machine has a dangling interpreter: rebuild it.
if ! "$VENV/bin/python" -c '' 2>/dev/null; then
    if ! _ledger_py="$(_ledger_python)"; then
        echo "error: Python >= 3.11 is needed; set PYTHON=/path/to/python3.11" >&2
        exit 1
    fi
    echo "Creating $VENV with $_ledger_py" >&2
    if ! "$_ledger_py" -m venv --clear "$VENV"; then
        echo "error: '$_ledger_py -m venv' failed (on Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
    rm -f "$STAMP"
fi

if _ledger_needs_install; then
    # Several scripts may start at once; only one of them installs.
    exec {_ledger_lock}>"$VENV/.install.lock"
    if command -v flock >/dev/null 2>&1; then
        flock "$_ledger_lock"
    fi
    if _ledger_needs_install; then
        echo "Installing campaign-ledger into .venv" >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
        touch "$STAMP"
    fi
    exec {_ledger_lock}>&-
fi

export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
