#!/usr/bin/env bash
# The asynclint GitHub Action: action.yml (at the repository root) runs this script. It runs the same way
# anywhere else, in another CI or on your machine:
#
#     INPUT_ARGS="check tests/" bash action/run.sh
#
# Inputs are environment variables, never spliced into this text (a crafted input could then run commands):
#   INPUT_ARGS     asynclint's command line (default `check .`), split into words as a shell would (quotes
#                  group words; nothing is expanded or run)
#   INPUT_VERSION  empty: install asynclint from the Action's own folder, the revision the workflow pinned;
#                  otherwise `asynclint==INPUT_VERSION` from the package index
#   INPUT_PYTHON   the project's Python, whose installed libraries asynclint reads: an interpreter (a path or a
#                  command) or an environment folder; default: `python` on PATH (the one actions/setup-python
#                  set up and earlier steps installed the project into)
# and, as GitHub sets them, GITHUB_ACTION_PATH (default: the folder above this script) and RUNNER_TEMP
# (default: $TMPDIR or /tmp). The exit status is asynclint's, or 2 when asynclint cannot be installed.
set -eu

action_path=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
temp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
args_text=${INPUT_ARGS:-check .}
version=${INPUT_VERSION:-}
python_input=${INPUT_PYTHON:-}

fail() {  # an annotation on the run, and asynclint's status for "could not run"
    printf '::error title=asynclint::%s\n' "$1"
    exit 2
}

bin_of() {  # an environment's scripts folder: bin, or Scripts on Windows
    if [ -d "$1/Scripts" ]; then printf '%s/Scripts' "$1"; else printf '%s/bin' "$1"; fi
}

# The project's environment.
if [ -n "$python_input" ] && [ -d "$python_input" ]; then
    project_env=$python_input
    project_python=$(bin_of "$python_input")/python
else
    project_python=${python_input:-python}
    if [ -z "$python_input" ] && ! command -v python >/dev/null 2>&1; then
        project_python=python3
    fi
    # Asked, not derived from the path: a venv's bin/python is a symbolic link to the base interpreter, and
    # `python` on PATH may be a shim (pyenv, asdf).
    project_env=$("$project_python" -c 'import sys; print(sys.prefix)') ||
        fail "python: cannot run \`$project_python\`: set the Action's python input to the project's interpreter"
fi

# asynclint gets an environment of its own, so its dependencies never meet the project's. It needs Python
# 3.10 or newer; an older project interpreter is only read from, never used to run asynclint.
builder=
for candidate in "$project_python" python3 python; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; then
        builder=$candidate
        break
    fi
done
[ -n "$builder" ] || fail "asynclint needs Python 3.10 or newer to run, and found none (the project's may be older)"

if [ -n "$version" ]; then
    case $version in
        *[!A-Za-z0-9.+!_-]*) fail "version: \`$version\` is not a version number (e.g. 0.2.0)" ;;
    esac
    requirement="asynclint==$version"
else
    requirement=$action_path
fi

mkdir -p "$temp"
venv=$(mktemp -d "$temp/asynclint.XXXXXX")
trap 'rm -rf "$venv"' EXIT
echo "::group::Install asynclint ($requirement)"
"$builder" -m venv "$venv" || fail "cannot create a virtual environment with $builder"
venv_bin=$(bin_of "$venv")
# pip with its resolver and the package index: asynclint's declared dependencies, none skipped.
PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv_bin/python" -m pip install "$requirement" ||
    fail "pip could not install $requirement (its error is above)"
echo "::endgroup::"

# The command line, split by shlex into NUL-terminated words.
"$venv_bin/python" -c '
import shlex, sys
try:
    words = shlex.split(sys.argv[1])
except ValueError as error:
    sys.exit(f"args: {error}")
sys.stdout.write("".join(word + "\0" for word in words))
' "$args_text" >"$venv/args" || fail "args: cannot split \`$args_text\` into words (a quote left open?)"
words=()
while IFS= read -r -d '' word; do
    words+=("$word")
done <"$venv/args"
[ "${#words[@]}" -gt 0 ] || words=(check .)

command=(asynclint "${words[0]}")
if [ "${words[0]}" = check ]; then
    chosen_format=false
    chosen_python=false
    config=
    previous=
    for word in "${words[@]}"; do
        case $word in
            --) break ;;
            --format | --format=*) chosen_format=true ;;
            # Statistics take no format; a report written to a file keeps the format the user gave or the default.
            --statistics | --output-file | --output-file=*) chosen_format=true ;;
            --python | --python=*) chosen_python=true ;;
            --config=*) config=${word#--config=} ;;
        esac
        if [ "$previous" = --config ]; then config=$word; fi
        previous=$word
    done
    if [ "$chosen_format" = false ]; then
        command+=(--format github)  # annotations on the pull request
    fi
    if [ "$chosen_python" = false ]; then
        # An explicit python input wins, as a command line does. The default steps back where the project
        # already says which environment asynclint reads: a `python` setting (which a command-line --python
        # would override), or the .venv or venv an earlier step created (asynclint reads it, as on your machine).
        settings=
        if [ -z "$python_input" ]; then
            settings=$("$venv_bin/python" "$action_path/action/python_setting.py" ${config:+"$config"}) || settings=
        fi
        if [ -n "$settings" ]; then
            echo "The project's environment: the \`python\` setting in $settings"
        elif [ -z "$python_input" ] && { [ -f .venv/pyvenv.cfg ] || [ -f venv/pyvenv.cfg ]; }; then
            echo "The project's environment: its .venv or venv folder"
        else
            echo "The project's environment: $project_env"
            command+=(--python "$project_env")
        fi
    fi
fi
for word in "${words[@]:1}"; do
    command+=("$word")
done

printf '%q ' "${command[@]}"
echo
status=0
"$venv_bin/${command[0]}" "${command[@]:1}" || status=$?
exit "$status"
