"""The command line: `asynclint check [PATHS]...`, `asynclint rules` and `asynclint rule CODE`. No logic lives here."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

import click

from asynclint import __version__
from asynclint.api import CheckOptions, RunResult, check_paths, check_source
from asynclint.cache import default_cache_dir
from asynclint.diagnostics import Applicability, Diagnostic, fix_tiers
from asynclint.files import display_path, named_path_excluded
from asynclint.lint_settings import LintSettings, SettingsError, find_lint_settings, python_environment_problem
from asynclint.registry import UnknownSelector
from asynclint.reporters import REPORTERS
from asynclint.reporters.statistics import StatisticsReporter

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: Seconds after which a run shows its progress on a terminal.
PROGRESS_AFTER = 1.0


def _split(values: Iterable[str]) -> list[str]:
    """`--select AIO1,AIO2 --select AIO3` -> ["AIO1", "AIO2", "AIO3"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


class BadSettings(click.ClickException):
    """A settings file asynclint cannot use: one line naming the file, the key and the value, exit status 2
    (not a usage error: the command line is fine, so no pointer to `--help`)."""

    exit_code = EXIT_ERROR


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class _OneLineErrors(click.Group):
    """Usage errors as one line on standard error (`asynclint: error: ...`), exit status 2: what a CI log or
    an editor shows is the problem itself, not a usage block around it."""

    def main(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        # SIGTERM stops the run the way Ctrl-C does: files being written are left whole (old or new).
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
        try:
            super().main(*args, **kwargs)  # type: ignore[call-overload]
        except click.exceptions.NoArgsIsHelpError as shown:  # `asynclint` alone: the help, as usual
            click.echo(shown.ctx.get_help() if shown.ctx is not None else "", err=True)
            sys.exit(EXIT_ERROR)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "asynclint"
            click.echo(f"asynclint: error: {error.format_message()} (see `{where} --help`)", err=True)
            sys.exit(EXIT_ERROR)
        except click.ClickException as error:
            click.echo(f"asynclint: error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:  # Ctrl-C or SIGTERM
            click.echo("asynclint: interrupted", err=True)
            sys.exit(130)
        finally:
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        sys.exit(EXIT_CLEAN)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="asynclint")
def main() -> None:
    """Find and fix the mistakes that make async pytest tests pass without running."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option(
    "--stdin-filename",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With `-` as the path: the file name the source read from standard input stands for.",
)
@click.option("--select", multiple=True, metavar="CODES", help="Enable only these codes or prefixes (e.g. AIO1).")
@click.option("--extend-select", multiple=True, metavar="CODES", help="Enable these codes in addition.")
@click.option("--ignore", multiple=True, metavar="CODES", help="Disable these codes or prefixes.")
@click.option("--fix", is_flag=True, help="Apply safe fixes, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe fixes.")
@click.option("--fix-only", is_flag=True, help="Apply fixes and report only what was fixed, not what remains.")
@click.option("--show-fixes", is_flag=True, help="After fixing, list what was fixed in each file.")
@click.option("--diff", is_flag=True, help="Print the diff --fix would apply; write nothing.")
@click.option(
    "--interactive",
    is_flag=True,
    help="With --fix: show each fix as a diff and ask before applying it (y: apply, n: skip, a: this one and all "
    "the rest, q: stop).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--asyncio-mode",
    type=click.Choice(["strict", "auto"]),
    help="The asyncio mode your pytest runs use, when it is passed on a command line asynclint cannot see.",
)
@click.option("--pytest-version", metavar="VERSION", help="The pytest version your project uses.")
@click.option("--pytest-asyncio-version", metavar="VERSION", help="The pytest-asyncio version your project uses.")
@click.option(
    "--python",
    metavar="PATH",
    help="The project's Python environment (a virtualenv folder or its interpreter), to read installed packages.",
)
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The settings file to use (an asynclint.toml, or a pyproject.toml with [tool.asynclint]) instead of the "
    "nearest one above the paths.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply exclude/extend-exclude to files named on the command line too (for pre-commit and editors).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Do not read or write any cache (results of earlier runs; what was read from installed packages).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where results of earlier runs are kept (default: .asynclint_cache next to the asynclint settings, "
    "else in the current folder).",
)
@click.option(
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option("--statistics", is_flag=True, help="Print how many findings each code has, instead of the findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, without the summary line.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say on standard error which environment each project's versions and installed packages come from, "
    "and which environments were ignored and why.",
)
@click.option(
    "--exit-non-zero-on-fix", is_flag=True, help="With --fix, exit with status 1 when anything was fixed (for CI)."
)
@click.option("--exit-zero", is_flag=True, help="Exit with status 0 even when there are findings.")
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add a `# noqa: CODE` to the reported line of every current finding (to adopt asynclint on a large suite).",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N", help="Worker processes (default: one per core).")
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool,
    fix_only: bool,
    show_fixes: bool,
    unsafe_fixes: bool,
    diff: bool,
    interactive: bool,
    output_format: str,
    asyncio_mode: str | None,
    pytest_version: str | None,
    pytest_asyncio_version: str | None,
    python: str | None,
    config: Path | None,
    force_exclude: bool,
    no_cache: bool,
    cache_dir: Path | None,
    stdin_filename: Path | None,
    output_file: Path | None,
    statistics: bool,
    quiet: bool,
    verbose: bool,
    exit_non_zero_on_fix: bool,
    exit_zero: bool,
    add_noqa: bool,
    jobs: int | None,
) -> None:
    """Check PATHS (default: the current folder) for async pytest mistakes."""
    flags = _CheckFlags(**locals())
    _refuse_conflicting(flags)
    try:
        settings = find_lint_settings(flags.given_paths, config)
    except SettingsError as error:
        raise BadSettings(str(error)) from error
    options = _check_options(flags, settings)
    given = {*_split(select), *_split(ignore), *_split(extend_select)}
    if Path("-") in paths:
        result = _check_stdin(flags, options, settings, given)
    elif flags.interactive:
        result = _fix_interactively(flags, options, settings, given)
    else:
        result = _checked(lambda: check_paths(flags.given_paths, options, progress=_progress()), given, settings.source)
    _print_notes(result, verbose)
    for message in result.internal_errors:
        click.echo(f"error: {message}", err=True)
    for message in result.warnings:
        click.echo(f"warning: {message}", err=True)
    sys.exit(_output(result, flags))


@dataclass(frozen=True)
class _CheckFlags:
    """The options of `asynclint check`, as given."""

    paths: tuple[Path, ...]
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    fix: bool
    fix_only: bool
    show_fixes: bool
    unsafe_fixes: bool
    diff: bool
    interactive: bool
    output_format: str
    asyncio_mode: str | None
    pytest_version: str | None
    pytest_asyncio_version: str | None
    python: str | None
    config: Path | None
    force_exclude: bool
    no_cache: bool
    cache_dir: Path | None
    stdin_filename: Path | None
    output_file: Path | None
    statistics: bool
    quiet: bool
    verbose: bool
    exit_non_zero_on_fix: bool
    exit_zero: bool
    add_noqa: bool
    jobs: int | None

    @property
    def fixing(self) -> bool:
        return self.fix or self.fix_only

    @property
    def given_paths(self) -> list[Path]:
        return list(self.paths) or [Path(".")]

    @property
    def lint_paths(self) -> list[Path]:
        """What is linted: the file standard input claims to be, or the paths given."""
        return [self.stdin_filename] if self.stdin_filename is not None else self.given_paths


def _refuse_conflicting(flags: _CheckFlags) -> None:
    """A usage error for options that cannot go together, or a value that cannot be used."""
    _refuse_conflicts(
        ("--diff", flags.diff, "--fix", flags.fix),
        ("--diff", flags.diff, "--fix-only", flags.fix_only),
        ("--statistics", flags.statistics, "--diff", flags.diff),
        ("--statistics", flags.statistics, "--format", flags.output_format != "text"),
        ("--statistics", flags.statistics, "--show-fixes", flags.show_fixes),
        ("--exit-zero", flags.exit_zero, "--exit-non-zero-on-fix", flags.exit_non_zero_on_fix),
        ("--no-cache", flags.no_cache, "--cache-dir", flags.cache_dir is not None),
        ("--add-noqa", flags.add_noqa, "--fix", flags.fix),
        ("--add-noqa", flags.add_noqa, "--diff", flags.diff),
        ("--add-noqa", flags.add_noqa, "--fix-only", flags.fix_only),
        ("--add-noqa", flags.add_noqa, "--statistics", flags.statistics),
        ("--add-noqa", flags.add_noqa, "`-` (standard input)", Path("-") in flags.paths),
    )
    if flags.interactive and not flags.fix:
        raise click.UsageError("--interactive asks before each fix --fix applies: add --fix")
    _refuse_conflicts(
        ("--interactive", flags.interactive, "--fix-only", flags.fix_only),
        ("--interactive", flags.interactive, "--format", flags.output_format != "text"),
        ("--interactive", flags.interactive, "`-` (standard input)", Path("-") in flags.paths),
    )
    if flags.stdin_filename is not None and Path("-") not in flags.paths:
        raise click.UsageError("--stdin-filename names the file read from standard input: give `-` as the path")
    if flags.python is not None:
        problem = python_environment_problem(flags.python)
        if problem is not None:
            raise click.UsageError(f"--python {flags.python}: {problem}")
    output_file = flags.output_file
    if output_file is not None and not output_file.parent.is_dir():
        raise click.UsageError(f"--output-file {output_file}: the folder {output_file.parent} does not exist")
    if Path("-") in flags.paths and (len(flags.paths) != 1 or flags.stdin_filename is None):
        raise click.UsageError("`-` reads one file from standard input and needs --stdin-filename")


def _check_options(flags: _CheckFlags, settings: LintSettings) -> CheckOptions:
    """What the run is asked to do: the command line's options over the settings file's."""
    versions = {}
    if flags.pytest_version:
        versions["pytest"] = flags.pytest_version
    if flags.pytest_asyncio_version:
        versions["pytest-asyncio"] = flags.pytest_asyncio_version
    tier = None
    if flags.fixing or flags.diff:
        tier = Applicability.UNSAFE if flags.unsafe_fixes else Applicability.SAFE
    results_cache = None
    if not flags.no_cache:
        results_cache = flags.cache_dir or default_cache_dir(settings.base, flags.lint_paths, Path.cwd())
    return CheckOptions(
        select=_split(flags.select) or (list(settings.select) if settings.select is not None else None),
        ignore=[*settings.ignore, *_split(flags.ignore)],
        extend_select=[*settings.extend_select, *_split(flags.extend_select)],
        fix=tier,
        dry_run=flags.diff,
        asyncio_mode=flags.asyncio_mode,
        versions=versions,
        jobs=flags.jobs,
        python=flags.python,
        no_cache=flags.no_cache,
        results_cache=results_cache,
        fix_edits=REPORTERS[flags.output_format].shows_fix_edits and not flags.statistics,
        settings=settings,
        config=flags.config.resolve() if flags.config is not None else None,
        force_exclude=flags.force_exclude,
    )


def _check_stdin(flags: _CheckFlags, options: CheckOptions, settings: LintSettings, given: set[str]) -> RunResult:
    """Check the file read from standard input. Fixing, it ends the command here, as editors expect: the fixed
    source on standard output, what remains on standard error."""
    filename = flags.stdin_filename
    assert filename is not None
    source = sys.stdin.buffer.read()
    excluded = named_path_excluded(filename, settings.excluded, settings.exclude is None)
    if flags.force_exclude and excluded:
        # As for a file named on the command line: nothing to say, and the source is left as it is.
        if flags.fixing:
            sys.stdout.buffer.write(source)
            sys.stdout.flush()
        sys.exit(EXIT_CLEAN)
    result = _checked(lambda: check_source(source, filename, options), given, settings.source)
    if not flags.fixing:
        return result
    _print_notes(result, flags.verbose)
    fixed = next((r.fixed_source for r in result.reports if r.fixed_source is not None), source)
    sys.stdout.buffer.write(fixed)
    sys.stdout.flush()
    REPORTERS["text"](sys.stderr, quiet=True).report(result)
    if result.has_errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.diagnostics and not flags.exit_zero else EXIT_CLEAN)


def _fix_interactively(flags: _CheckFlags, options: CheckOptions, settings: LintSettings, given: set[str]) -> RunResult:
    """Show each fix the run offers and apply those the user accepts; then what remains, as a check reports it."""
    from asynclint.run.interactive import ALL, NO, QUIT, YES, fixable, run_interactive

    looking = replace(options, fix=None, dry_run=False, fix_edits=True)
    found = _checked(lambda: check_paths(flags.given_paths, looking), given, settings.source)
    tier = Applicability.UNSAFE if flags.unsafe_fixes else Applicability.SAFE

    def ask(diagnostic: Diagnostic, diff: str) -> str:
        assert diagnostic.fix is not None
        click.echo(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}: {diagnostic.code} {diagnostic.message}")
        click.echo(diff, nl=False)
        try:
            answer: str = click.prompt(
                f"Apply “{diagnostic.fix.title}”? [y]es, [n]o, [a]ll the rest, [q]uit",
                type=click.Choice([YES, NO, ALL, QUIT]),
                show_choices=False,
                default=NO,
            )
        except click.Abort:  # end of input
            return QUIT
        return answer

    outcome = run_interactive(fixable(found.diagnostics, fix_tiers(tier)), Path.cwd(), ask)
    for message in outcome.warnings:
        click.echo(f"warning: {message}", err=True)
    click.echo(f"Fixed {outcome.fixed} finding{'s' if outcome.fixed != 1 else ''}.")
    remaining = replace(options, fix=None, dry_run=False)
    return _checked(lambda: check_paths(flags.given_paths, remaining), given, settings.source)


def _output(result: RunResult, flags: _CheckFlags) -> int:
    """Print the result as the options ask (or add `noqa` comments), and give the exit status."""
    if flags.add_noqa:
        return _add_noqa(result, flags.given_paths)
    if flags.diff:
        return _print_diff(result)
    output_file = flags.output_file
    try:
        stream = output_file.open("w", encoding="utf-8") if output_file is not None else sys.stdout
    except OSError as error:
        raise click.UsageError(f"--output-file {output_file}: cannot be written: {error.strerror}") from error
    try:
        if flags.show_fixes or flags.fix_only:
            _print_fixes(result, stream, listed=flags.show_fixes)
        if flags.fix_only:
            changed = flags.exit_non_zero_on_fix and result.fixed
            return EXIT_ERROR if result.has_errors else (EXIT_FINDINGS if changed else EXIT_CLEAN)
        if flags.statistics:
            StatisticsReporter(stream).report(result)
        else:
            REPORTERS[flags.output_format](stream, quiet=flags.quiet).report(result)
    finally:
        if output_file is not None:
            stream.close()
    if result.has_errors:
        return EXIT_ERROR
    if result.diagnostics and not flags.exit_zero:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if flags.exit_non_zero_on_fix and result.fixed else EXIT_CLEAN


def _add_noqa(result: RunResult, paths: list[Path]) -> int:
    """Silence every current finding with a `# noqa` on its line; say how many, and what was left and why."""
    from asynclint.add_noqa import add_noqa

    for line in add_noqa(result.diagnostics, paths, Path.cwd()).summary():
        click.echo(line)
    return EXIT_CLEAN


def _refuse_conflicts(*pairs: tuple[str, bool, str, bool]) -> None:
    """Two flags that ask for opposite things are a usage error rather than a silent choice of one."""
    for first, first_given, second, second_given in pairs:
        if first_given and second_given:
            raise click.UsageError(f"{first} and {second} cannot be used together")


def _print_notes(result: RunResult, verbose: bool) -> None:
    """With `--verbose`: which environment each project's versions and installed packages come from."""
    if verbose:
        for note in result.environment_notes:
            click.echo(f"asynclint: {note}", err=True)


def _progress() -> Callable[[int, int], None] | None:
    """`Linting 120/1893 files` on a terminal's standard error for runs that take a while; nothing otherwise."""
    if not sys.stderr.isatty():
        return None
    show_from = time.monotonic() + PROGRESS_AFTER

    def report(done: int, total: int) -> None:
        if time.monotonic() < show_from:
            return
        end = "\r\033[K" if done == total else ""  # cleared once done, so the report starts on a clean line
        sys.stderr.write(f"\rLinting {done}/{total} files{end}")
        sys.stderr.flush()

    return report


def _checked(
    run: Callable[[], RunResult], from_command_line: Iterable[str] = (), settings_source: str | None = None
) -> RunResult:
    """The run's result; a selector naming no rule is a usage error (rules are resolved inside the run, so that
    a run the cache answers does not load them), said with where it came from."""
    try:
        return run()
    except UnknownSelector as error:
        given = str(error)
        if given not in from_command_line and settings_source:
            raise BadSettings(f"{settings_source}: unknown rule code or name: {given}") from error
        raise click.UsageError(f"unknown rule code or name: {given}") from error
    except SettingsError as error:  # rule options are checked once the rules are loaded
        raise BadSettings(str(error)) from error


def _print_fixes(result: RunResult, stream: TextIO, *, listed: bool) -> None:
    """`Fixed N findings`, and with `listed`, how many of each code in each file."""
    total = sum(report.fixed for report in result.reports)
    if not total:
        stream.write("No fixes applied.\n")
        return
    if not listed:
        stream.write(f"Fixed {total} finding{'s' if total != 1 else ''}.\n")
        return
    stream.write("Applied fixes:\n")
    for report in sorted(result.reports, key=lambda r: r.path):
        if not report.fixed_codes:
            continue
        stream.write(f"{report.path}:\n")
        for code, count in sorted(Counter(report.fixed_codes).items()):
            stream.write(f"    {count} {code}\n")
        for other in sorted({display_path(Path(write.path), Path.cwd()) for write in report.other_writes}):
            stream.write(f"    and rewrote {other}\n")


def _print_diff(result: RunResult) -> int:
    from asynclint.fixer import unified_diff

    changed = 0
    shown: set[str] = set()
    for report in result.reports:
        if report.original is None or report.fixed_source is None or report.fixed_source == report.original:
            continue
        before = report.original.decode("utf-8", errors="replace")
        after = report.fixed_source.decode("utf-8", errors="replace")
        click.echo(unified_diff(before, after, report.path), nl=False)
        shown.add(report.path)
        changed += report.fixed
    for report in result.reports:
        # Other files the fixes rewrite (the config file a migration writes), each once.
        for write in report.other_writes:
            path = display_path(Path(write.path), Path.cwd())
            if path in shown or write.after == write.before:
                continue
            shown.add(path)
            before = write.before.decode("utf-8", errors="replace")
            after = write.after.decode("utf-8", errors="replace")
            click.echo(unified_diff(before, after, path), nl=False)
    if changed:
        click.echo(f"Would fix {changed} finding{'s' if changed != 1 else ''}.", err=True)
    if result.has_errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if changed else EXIT_CLEAN


@main.command("server")
def server() -> None:
    """Run the language server over stdio, for editors (needs the `lsp` extra: pip install 'asynclint[lsp]')."""
    try:
        from asynclint.lsp.server import serve
    except ImportError as error:
        click.echo(
            f"asynclint: the language server needs the `lsp` extra ({error.name} is not installed): "
            "pip install 'asynclint[lsp]'",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    serve()


@main.command("rule")
@click.argument("code_or_name")
def show_rule(code_or_name: str) -> None:
    """Print a rule's documentation: what it finds, why, an example, its fix and when the fix is safe."""
    from asynclint.docs import rule_markdown
    from asynclint.registry import all_rules

    wanted = code_or_name.strip()
    for rule in all_rules():
        if rule.code == wanted.upper() or rule.name == wanted:
            click.echo(rule_markdown(rule), nl=False)
            return
    click.echo(f"asynclint: no rule is called {wanted!r} (see `asynclint rules`)", err=True)
    sys.exit(EXIT_ERROR)


@main.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "table"]),
    default="text",
    show_default=True,
    help="markdown: every rule's page (docs/rules.md); table: the one-line-per-rule table of the README.",
)
def list_rules(output_format: str) -> None:
    """List every rule: code, name, whether it is on by default, and whether it has a fix."""
    from asynclint.docs import rules_markdown, rules_table
    from asynclint.registry import all_rules, select_rules

    if output_format == "markdown":
        click.echo(rules_markdown(), nl=False)
        return
    if output_format == "table":
        click.echo(rules_table(), nl=False)
        return
    enabled = set(select_rules())
    rows = [
        {
            "code": rule.code,
            "name": rule.name,
            "default": rule in enabled,
            "fix": rule.fix_availability.value,
            "summary": rule.summary(),
            "options": dict(rule.options),
        }
        for rule in all_rules()
    ]
    if output_format == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        default = "" if row["default"] else " (off by default)"
        fix = {"always": "[*]", "sometimes": "[~]", "none": "   "}[str(row["fix"])]
        click.echo(f"{row['code']} {fix} {row['name']}{default}: {row['summary']}")
