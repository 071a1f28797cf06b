"""Web UI stage: ``reports-web``, serving the app with waitress (a production WSGI server), or with gunicorn's
processes for ``--workers N`` (``webui.workers``)."""

from __future__ import annotations

import errno
import os
import sys

import click

from search.segmenter import jieba_only

from . import create_app
from .memory import tune_malloc


class PortUnavailable(click.ClickException):
    """The address cannot be listened on (most often: the port is taken): one line, exit code 2."""

    exit_code = 2


def listen(app, host: str, port: int, threads: int):
    """A waitress server bound to ``host:port`` (bound here, before anything is printed), or PortUnavailable."""
    from waitress.server import create_server

    try:
        return create_server(app, host=host, port=port, threads=threads, ident="reports-web")
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise PortUnavailable(f"port {port} on {host} is already in use: choose another with --port "
                                  "(make run PORT=…), or stop the program using it") from None
        raise PortUnavailable(f"cannot listen on {host}:{port}: {e.strerror or e}") from None


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index-dir", type=click.Path(file_okay=False), envvar="REPORTS_INDEX_DIR", default="index",
              show_default=True, help="Index directory built by `reports-index build` (or $REPORTS_INDEX_DIR).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True, help="Port to listen on.")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Worker threads (in each process).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes: more than 1 serves with gunicorn (Linux), else waitress.")
def main(index_dir: str, host: str, port: int, threads: int, workers: int) -> None:
    """Serve the search web UI (read-only: it never writes or reindexes).

    A rebuilt index is picked up without a restart.

    Example:

        reports-web --index-dir index --host 127.0.0.1 --port 5000

        reports-web --index-dir index --workers 4
    """
    tune_malloc()  # before any server thread allocates (webui.memory)
    jieba_only()  # one segmenter dictionary in memory, not two (search.segmenter)
    app = create_app()
    app.config["INDEX_DIR"] = os.path.abspath(index_dir)  # the option (or its envvar) wins over instance config
    if workers > 1 and not sys.platform.startswith("linux"):
        click.echo("note: --workers needs gunicorn's fork (Linux); serving with one process (waitress)", err=True)
        workers = 1
    server = listen(app, host, port, threads)  # a taken port is one line, before the banner
    click.echo(f"法治报告检索: http://{host}:{server.effective_port}/  (index: {app.config['INDEX_DIR']})"
               + (f"  {workers} processes" if workers > 1 else ""))
    if workers > 1:
        from .workers import serve as serve_processes  # gunicorn: imported on Linux only

        port = server.effective_port
        server.close()  # gunicorn binds the address itself
        serve_processes(app, host, port, workers, threads)
    else:
        server.run()
