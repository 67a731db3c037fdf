"""``flask notices verify FILE.pdf``: does a notice PDF match the record?"""
from pathlib import Path

import click
from flask.cli import AppGroup

from inspect_app.core.i18n import translate
from inspect_app.notices import signing, verification
from inspect_app.notices.routes import MAX_PDF_BYTES

notices_cli = AppGroup("notices", help="整改通知书: verify notice PDFs, show the signing key.")


@notices_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh-CN", "en"]), default="zh-CN", show_default=True)
def verify_command(file: Path, lang: str):
    """Compare FILE with the notice it names; exit status 0 when it matches, 1 when it does not."""
    if file.stat().st_size > MAX_PDF_BYTES:
        click.echo(translate("verify_mismatch", lang))
        click.echo("  " + translate("verify_reason_too_large", lang, limit_mb=MAX_PDF_BYTES // 1024 // 1024))
        raise SystemExit(1)
    check = verification.check_pdf(file.read_bytes())
    if check.notice is not None:
        click.echo(f"{check.notice.number}  ({translate('notice_status_' + check.notice.status, lang)})")
    click.echo(f"SHA-256 {check.sha256}")
    if check.matches:
        click.echo(translate("verify_match_void" if check.notice.status == "void" else "verify_match", lang))
        return
    click.echo(translate("verify_mismatch", lang))
    for reason in check.reasons:
        click.echo("  " + translate(reason, lang))
    raise SystemExit(1)


@notices_cli.command("public-key")
def public_key_command():
    """Print the Ed25519 public key (base64 of the raw 32 bytes) and its id, for checking signatures elsewhere."""
    click.echo(f"{signing.key_id()}  {signing.public_key_b64()}")
