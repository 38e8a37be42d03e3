"""`python -m tf1_mnist`: the command line."""

try:
    from tf1_mnist.cli import run
except KeyboardInterrupt:  # Ctrl-C while Python is still loading the command line
    import sys

    print("tf1_mnist: interrupted.", file=sys.stderr)
    raise SystemExit(130) from None

run()
