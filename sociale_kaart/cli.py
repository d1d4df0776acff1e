"""sociale-kaart: the editors' command line (validate, import, export, stale, stats, migrate)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from sociale_kaart.texts import counted, message, message_table

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///var/welzijnswijzer.db"


class CliSettingError(ValueError):
    """An environment variable of the CLI has a value it cannot use (the message is Dutch)."""


def database_url(given: str | None) -> str:
    """--database-url, else WW_DATABASE_URL, else welzijnswijzer.db in WW_VAR_DIR (default
    var/ in the project root), as bot.settings does."""
    var_dir = os.environ.get("WW_VAR_DIR", "").strip()
    default = f"sqlite:///{Path(var_dir).resolve() / 'welzijnswijzer.db'}" if var_dir else DEFAULT_DATABASE_URL
    url = given or os.environ.get("WW_DATABASE_URL") or default
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        url = prefix + str(PROJECT_ROOT / url[len(prefix) :])
    return url


def input_limits():
    """Limits on import files: WW_IMPORT_MAX_BYTES and WW_IMPORT_MAX_DEPTH (as in bot.settings)."""
    from sociale_kaart.readers import DEFAULT_LIMITS, InputLimits

    return InputLimits(
        max_bytes=_whole_number("WW_IMPORT_MAX_BYTES", DEFAULT_LIMITS.max_bytes),
        max_depth=_whole_number("WW_IMPORT_MAX_DEPTH", DEFAULT_LIMITS.max_depth),
    )


def _whole_number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise CliSettingError(message("cli.instelling_ongeldig", naam=name))
    return int(raw)


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem)
    print(message("cli.ongeldig", aantal=len(problems), problemen=counted("probleem", len(problems))))


def cmd_validate(args) -> int:
    from sociale_kaart.readers import read_path
    from sociale_kaart.validation import validate_documents

    limits = input_limits()
    validation = validate_documents([read_path(path, limits) for path in args.files])
    if not validation.ok:
        _print_problems(validation.problems)
        return 1
    print(
        message(
            "cli.geldig",
            bestanden=len(args.files),
            bestanden_woord=counted("bestand", len(args.files)),
            organisaties=validation.organisation_count,
            activiteiten=validation.activity_count,
        )
    )
    return 0


def _engine(args):
    from sociale_kaart.db import make_engine

    return make_engine(database_url(args.database_url))


def cmd_migrate(args) -> int:
    from sociale_kaart.db import migrate

    url = database_url(args.database_url)
    migrate(url)
    print(message("cli.gemigreerd", url=url))
    return 0


def cmd_import(args) -> int:
    from sociale_kaart.importer import import_paths

    report = import_paths(_engine(args), args.files, dry_run=args.dry_run, limits=input_limits())
    if not report.ok:
        _print_problems(report.problems)
        return 1
    print(report.summary())
    if args.dry_run:
        print(message("cli.proef"))
    return 0


def cmd_export(args) -> int:
    engine = _engine(args)
    if args.format == "csv":
        from sociale_kaart.export_csv import write_catalogue_csv

        out = Path(args.out or "sociale-kaart-csv")
        write_catalogue_csv(engine, out)
        text = None
    elif args.format == "yaml":
        from sociale_kaart.export_yaml import catalogue_yaml

        text = catalogue_yaml(engine)
    else:
        from sociale_kaart.export_hsds import catalogue_hsds
        from sociale_kaart.hsds_schema import hsds_errors

        document = catalogue_hsds(engine)
        errors = hsds_errors(document)
        if errors:
            print(message("cli.hsds_ongeldig", detail="; ".join(errors[:10])), file=sys.stderr)
            return 1
        text = json.dumps(document, ensure_ascii=False, indent=2)
    if text is not None:
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
            return 0
    print(
        message("cli.geexporteerd", activiteiten=_count(engine), pad=args.out or "sociale-kaart-csv"),
        file=sys.stderr,
    )
    return 0


def _crosswalk(args):
    from sociale_kaart.crosswalk import CrosswalkError, load_crosswalk

    try:
        return load_crosswalk(args.crosswalk)
    except CrosswalkError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return None


def cmd_import_hsds(args) -> int:
    from sociale_kaart.import_hsds import import_hsds

    crosswalk = _crosswalk(args)
    if crosswalk is None:
        return 1
    result = import_hsds(
        _engine(args), args.path, crosswalk, only_fitting=args.alleen_passende, dry_run=args.dry_run
    )
    if result.read_problem:
        print(result.read_problem, file=sys.stderr)
        return 1
    print(message("hsds_import.kop", passend=len(result.fitting), totaal=len(result.services)))
    for entry in result.services:
        if not (entry.problems or entry.warnings):
            continue
        print(message("hsds_import.dienst", naam=entry.naam, id=entry.hsds_id))
        for where, reason in entry.problems:
            print(message("hsds_import.regel_probleem", veld=where, reden=reason))
        for where, reason in entry.warnings:
            print(message("hsds_import.regel_waarschuwing", veld=where, reden=reason))
    if result.report is None:
        if result.unfit and not args.alleen_passende:
            count = len(result.unfit)
            print(message("hsds_import.niets_ingelezen", aantal=count, diensten=counted("dienst", count)))
        else:
            print(message("hsds_import.geen_passende"))
        return 1
    if not result.report.ok:
        _print_problems(result.report.problems)
        return 1
    print(result.report.summary())
    if result.unfit:
        print(message("hsds_import.alleen_passende", aantal=len(result.fitting)))
    if args.dry_run:
        print(message("cli.proef"))
    return 0


def cmd_crosswalk(args) -> int:
    """Check the crosswalk; with a file, list its taxonomy terms and places and how they map."""
    from sociale_kaart.import_hsds import HsdsReadError, read_hsds, terms_and_places

    crosswalk = _crosswalk(args)
    if crosswalk is None:
        return 1
    print(
        message(
            "crosswalk.ok",
            bestand=crosswalk.path,
            termen=len(crosswalk.rules),
            plaatsen=len(crosswalk.places),
        )
    )
    if not args.path:
        return 0
    try:
        data = read_hsds(args.path)
    except HsdsReadError as error:
        print(error.text, file=sys.stderr)
        return 1
    terms, places = terms_and_places(data, crosswalk)
    missing = 0
    print(message("crosswalk.termen_kop", pad=args.path))
    for shown, outcome in terms or [(None, None)]:
        if shown is None:
            print(message("crosswalk.geen"))
        elif outcome:
            print(message("crosswalk.term_vertaald", term=shown, uitkomst=outcome))
        else:
            missing += 1
            print(message("crosswalk.term_niet_vertaald", term=shown))
    print(message("crosswalk.plaatsen_kop", pad=args.path))
    for shown, outcome in places or [(None, None)]:
        if shown is None:
            print(message("crosswalk.geen"))
        elif outcome:
            print(message("crosswalk.plaats_regel", plaats=shown, uitkomst=outcome))
        else:
            missing += 1
            print(message("crosswalk.plaats_niet_vertaald", plaats=shown))
    return 1 if missing else 0


def _count(engine) -> int:
    from sqlalchemy import func, select

    from sociale_kaart.models import Activity

    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Activity)).scalar_one()


def cmd_stale(args) -> int:
    from sociale_kaart.reports import stale_by_organisation

    with _engine(args).connect() as connection:
        grouped = stale_by_organisation(connection, args.days)
    total = sum(len(entries) for entries in grouped.values())
    if not total:
        print(message("cli.niet_verouderd", dagen=args.days))
        return 0
    print(
        message("cli.verouderd_kop", aantal=total, activiteiten=counted("activiteit", total), dagen=args.days)
    )
    for organisation, entries in grouped.items():
        print(message("cli.verouderd_organisatie", organisatie=organisation, aantal=len(entries)))
        for entry in entries:
            date = (
                entry.laatst_gecontroleerd_op.isoformat()
                if entry.laatst_gecontroleerd_op
                else message("cli.nooit")
            )
            print(message("cli.verouderd_regel", id=entry.id, naam=entry.naam, datum=date))
    return 0


def cmd_stats(args) -> int:
    from sociale_kaart.reports import coverage
    from sociale_kaart.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    with _engine(args).connect() as connection:
        result = coverage(connection, taxonomy)
    print(message("cli.stats_kop"))
    for code, municipality in taxonomy.municipalities.items():
        print(
            message(
                "cli.stats_gemeente", naam=municipality.naam, code=code, totaal=result.totals.get(code, 0)
            )
        )
        for category, count in result.counts[code].most_common():
            print(message("cli.stats_categorie", label=taxonomy.categories[category].label, aantal=count))
    if not result.gaps:
        print(message("cli.geen_gaten"))
        return 0
    print(message("cli.gaten_kop"))
    for code, categories in result.gaps.items():
        labels = ", ".join(taxonomy.categories[c].label for c in categories)
        print(message("cli.gaten_regel", naam=taxonomy.municipalities[code].naam, categorieen=labels))
    return 0


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(message("cli.dagen_ongeldig", waarde=text))
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sociale-kaart", description="Beheer van de sociale kaart.")
    parser.add_argument(
        "--database-url", metavar="URL", help="database (standaard: WW_DATABASE_URL of var/welzijnswijzer.db)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="controleer bestanden zonder iets in te lezen")
    validate.add_argument("files", nargs="+", metavar="BESTAND")
    validate.set_defaults(run=cmd_validate, needs_database=False)
    load = commands.add_parser("import", help="lees bestanden in (alles of niets)")
    load.add_argument("files", nargs="+", metavar="BESTAND")
    load.add_argument("--dry-run", action="store_true", help="laat zien wat er zou veranderen, sla niets op")
    load.set_defaults(run=cmd_import)
    hsds = commands.add_parser("import-hsds", help="lees HSDS 3.0-gegevens van anderen in (JSON of CSV-map)")
    hsds.add_argument("path", metavar="BESTAND_OF_MAP")
    hsds.add_argument(
        "--crosswalk", metavar="PAD", help="vertaaltabel (standaard: sociale_kaart/crosswalk.yml)"
    )
    hsds.add_argument(
        "--alleen-passende",
        action="store_true",
        help="lees de passende diensten in, ook als andere niet passen",
    )
    hsds.add_argument("--dry-run", action="store_true", help="laat zien wat er zou veranderen, sla niets op")
    hsds.set_defaults(run=cmd_import_hsds)
    cross = commands.add_parser(
        "crosswalk", help="controleer de crosswalk, en welke termen en plaatsen passen"
    )
    cross.add_argument("path", nargs="?", metavar="BESTAND_OF_MAP")
    cross.add_argument(
        "--crosswalk", metavar="PAD", help="vertaaltabel (standaard: sociale_kaart/crosswalk.yml)"
    )
    cross.set_defaults(run=cmd_crosswalk, needs_database=False)
    export = commands.add_parser("export", help="schrijf de catalogus weg")
    export.add_argument("--format", choices=("hsds", "csv", "yaml"), default="hsds")
    export.add_argument("--out", metavar="PAD", help="bestand (hsds, yaml) of map (csv)")
    export.set_defaults(run=cmd_export)
    stale = commands.add_parser("stale", help="activiteiten die lang niet gecontroleerd zijn")
    stale.add_argument("--days", type=_days, default=180, metavar="DAGEN")
    stale.set_defaults(run=cmd_stale)
    stats = commands.add_parser("stats", help="aanbod per gemeente en categorie, en gaten")
    stats.set_defaults(run=cmd_stats)
    migrate = commands.add_parser("migrate", help="maak of werk de database bij")
    migrate.set_defaults(run=cmd_migrate, needs_database=False)
    return parser


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse with argparse's own texts in Dutch (argparse looks them up through its ``_``)."""
    dutch = message_table("argparse")
    english = argparse._
    argparse._ = lambda text: dutch.get(text, text)
    try:
        return build_parser().parse_args(argv)
    finally:
        argparse._ = english


def main(argv: list[str] | None = None) -> int:
    from sociale_kaart.text import use_spacy_model

    args = _parse(argv)
    # The CLI is a process entry point: the one place of this package that reads the environment.
    use_spacy_model(os.environ.get("WW_SPACY_MODEL", "").strip())
    try:
        return args.run(args)
    except CliSettingError as error:
        print(error, file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        if "locked" in str(getattr(error, "orig", "")):
            print(message("cli.database_bezig"), file=sys.stderr)
        else:
            print(message("cli.database_fout", detail=type(error).__name__), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
