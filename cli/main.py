"""The ``tailor`` command: run Tailor (``up``, ``serve``) or call its API like the AWS CLI."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from servicekit.settings import Settings

AWS_SERVICES = ("personalize", "personalize-events", "personalize-runtime")


def _settings_help() -> str:
    lines = ["settings (environment variables):"]
    for env, default, doc in Settings.describe():
        lines.append(f"  {env:<28} {doc} (default: {default})")
    return "\n".join(lines)


def _run_parts(parts: list[str]) -> int:
    from cli.up import start_tailor

    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    server = start_tailor(settings, parts)
    server.stop_on_signals()
    metrics = f", metrics on :{server.metrics_port}/metrics" if server.metrics_port else ""
    if server.replica_pids:
        ports = [port for port in server.replica_metrics_ports if port]
        also = f", their metrics on {', '.join(f':{port}' for port in ports)}" if ports else ""
        count = len(server.replica_pids)
        metrics += f"; {count} more serving process{'es' if count > 1 else ''}{also}"
    print(
        f"Tailor {' + '.join(parts)} serving on {settings.grpc_host}:{server.port}{metrics} "
        f"(home {settings.home.resolve()})",
        flush=True,
    )
    server.wait()
    return 0


def _endpoint(argv: list[str]) -> str:
    """Where the CLI connects: ``--endpoint`` (removed from argv), TAILOR_ENDPOINT, or the port."""
    port = os.environ.get("TAILOR_GRPC_PORT", "50051")
    endpoint = os.environ.get("TAILOR_ENDPOINT", f"127.0.0.1:{port}")
    if "--endpoint" in argv:
        index = argv.index("--endpoint")
        endpoint = argv[index + 1]
        del argv[index : index + 2]
    return endpoint


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tailor`` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in (*AWS_SERVICES, "import", "quickstart"):
        endpoint = _endpoint(argv)
        if argv[0] == "import":
            from cli.import_command import run_import

            return run_import(argv[1:], endpoint=endpoint, stdout=sys.stdout, stderr=sys.stderr)
        if argv[0] == "quickstart":
            from cli.quickstart import run_quickstart

            return run_quickstart(argv[1:], endpoint=endpoint, stdout=sys.stdout, stderr=sys.stderr)
        from cli.aws_commands import run_aws_command

        return run_aws_command(
            argv[0], argv[1:], endpoint=endpoint, stdout=sys.stdout, stderr=sys.stderr
        )
    parser = argparse.ArgumentParser(
        prog="tailor",
        description="Tailor: self-hosted personalization with the Amazon Personalize API.",
        epilog="See it work: tailor quickstart  (with `tailor up` running; --help for options)\n"
        "API calls: tailor {personalize,personalize-events,personalize-runtime} "
        "<operation> [--options] [--endpoint host:port]\n"
        "Import a CSV: tailor import --dataset-arn ARN FILE_OR_FOLDER [--wait]",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "up",
        help="run everything in one process (all services, trainer worker)",
        description="Run all Tailor services and the trainer worker on one gRPC port.",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve = commands.add_parser(
        "serve",
        help="run one part alone (for Kubernetes)",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("part", choices=["control-plane", "events", "runtime", "trainer"])
    args = parser.parse_args(argv)
    if args.command == "up":
        return _run_parts(["control-plane", "events", "runtime", "trainer"])
    return _run_parts([args.part])


if __name__ == "__main__":
    sys.exit(main())
