import argparse
import sys
from pathlib import Path

from ktxh_document.bootstrap import definition
from ktxh_platform.runtime import cli as run_cli
from ktxh_platform.settings import settings_for


def demo_sign(argv: list[str]) -> None:
    """``ktxh-document demo-sign IN.pdf OUT.pdf``: sign a PDF with the demo CA of the data
    folder, which only the embedded default (``make run``) trusts."""
    from ktxh_document.adapters.demo_signing import DemoCA

    parser = argparse.ArgumentParser(prog="ktxh-document demo-sign", description=demo_sign.__doc__)
    parser.add_argument("source", type=Path, help="tệp PDF cần ký")
    parser.add_argument("target", type=Path, help="tệp PDF đã ký (ghi ra)")
    args = parser.parse_args(argv)
    data_dir = settings_for("document").data_dir
    try:
        signed = DemoCA(data_dir).sign(args.source.read_bytes())
    except (OSError, ValueError) as err:
        raise SystemExit(f"ktxh-document demo-sign: {err}") from None
    args.target.write_bytes(signed)
    print(f"Đã ký thử {args.target} bằng chứng thư dùng thử trong {data_dir / 'demo-ca'} "
          "(chỉ bản chạy thử make run tin cậy chứng thư này).")


def cli() -> None:
    if sys.argv[1:2] == ["demo-sign"]:
        demo_sign(sys.argv[2:])
        return
    run_cli(definition)


if __name__ == "__main__":
    cli()
