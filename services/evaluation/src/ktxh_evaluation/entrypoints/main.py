from ktxh_platform.runtime import cli as run_cli

from ktxh_evaluation.bootstrap import definition


def cli() -> None:
    run_cli(definition)


if __name__ == "__main__":
    cli()
