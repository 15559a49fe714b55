"""`kg coverage`: what the graph knows of the governance record and what it lacks, as /coverage
shows it: per body, the meetings known against the highest number known, the missing numbers,
the meetings without a number or a date; per session of the Conference of the Parties, the
instruments known and whether its dates and report symbol are known."""

from __future__ import annotations

import json
import sys

from graph_service import i18n
from graph_service.cli.common import ExitCode, config_from_args, fail, open_for_reading
from graph_service.record import coverage, export
from graph_service.record.labels import labels


def add_command(subparsers) -> None:
    parser = subparsers.add_parser(
        "coverage",
        help="what the graph knows of meetings and sessions, and the gaps",
        description="Per body: meetings known, the highest number known, the numbers missing "
        "below it, meetings without a number or a date. Per session of the Conference of the "
        "Parties: dates, report symbols, instruments known. Reads the on-disk store (works "
        "while `kg serve` runs).",
    )
    parser.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="table (default), json (everything), csv (one table, see --table)",
    )
    parser.add_argument(
        "--table",
        choices=["bodies", "sessions"],
        default="bodies",
        help="the table --format csv writes (default bodies)",
    )
    parser.add_argument(
        "--lang", choices=list(i18n.LANGUAGES), default="en", help="language of the labels"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    config = config_from_args(args)
    try:
        store = open_for_reading(config)
    except OSError as error:
        return fail("coverage", str(error))
    cov = coverage.compute(store)
    iris = [b.body for b in cov.bodies] + [m.iri for m in cov.meetings()]
    iris += [s.session for s in cov.sessions if s.session]
    names = labels(store, iris, args.lang)
    data = export.coverage_json(cov, lambda iri: names.get(iri, iri))
    if args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        if args.table == "bodies":
            text = export.csv_text(export.BODY_COLUMNS, export.body_rows(data))
        else:
            text = export.csv_text(export.SESSION_COLUMNS, export.session_rows(data))
    else:
        text = tables(data)
    sys.stdout.write(text)
    sys.stdout.flush()
    return ExitCode.OK


def tables(data: dict) -> str:
    bodies = [
        [
            short(b["label"]),
            b["kind"],
            str(b["known"]),
            str(b["dated"]),
            str(b["highest_number"] or "-"),
            b["missing"] or "-",
            str(len(b["unnumbered_dated"])),
            str(len(b["unnumbered_undated"])),
            str(len(b["undated"])),
        ]
        for b in data["bodies"]
    ]
    sessions = []
    for s in data["sessions"]:
        if not s["known"]:
            sessions.append([str(s["ordinal"]), "not in the graph", "", "", "", ""])
            continue
        missing = "; ".join(
            f"{kind}s {coverage.ranges_text(numbers, '-')}"
            for kind, numbers in s["instrument_numbers_missing"].items()
            if numbers
        )
        dates = f"{s['start'] or '?'} .. {s['end'] or '?'}" if s["start"] or s["end"] else "-"
        set_aside = sorted({x["value"] for x in s["set_aside"]})
        if set_aside:
            dates += f" (set aside: {', '.join(set_aside)})"
        sessions.append(
            [
                str(s["ordinal"] or "-"),
                dates,
                " ".join(s["report_symbols"]) or "-",
                str(s["instruments_known"]),
                identifiers(s["instruments"]),
                missing or "-",
            ]
        )
    return (
        "Meetings known per body (numbers missing: below the highest number known, not in "
        "the graph)\n\n"
        + grid(
            [
                "body",
                "kind",
                "known",
                "dated",
                "highest",
                "numbers missing",
                "no number, dated",
                "no number, no date",
                "no date",
            ],
            bodies,
        )
        + meetings_total(data)
        + "\nSessions of the Conference of the Parties\n\n"
        + grid(
            ["no.", "dates", "report", "instruments", "identifiers", "numbers missing"],
            sessions,
        )
        + "\n"
        + data["scope"]
        + "\n"
    )


def identifiers(instruments: list[dict]) -> str:
    """ "decisions 6/1 6/2; resolutions 6/1 6/2": a session's decisions and resolutions share
    their numbers, so each kind is named."""
    kinds: dict[str, list[str]] = {}
    for instrument in instruments:
        kinds.setdefault(instrument["kind"], []).append(instrument["identifier"])
    return "; ".join(f"{kind}s {' '.join(ids)}" for kind, ids in kinds.items()) or "-"


def meetings_total(data: dict) -> str:
    totals = data["subsidiary"]
    return (
        f"\nAll {totals['bodies']} subsidiary bodies: {totals['known']} meetings known, "
        f"{totals['dated']} of them dated\n"
    )


def short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def grid(header: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"
