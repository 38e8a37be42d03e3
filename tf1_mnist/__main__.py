from tf1_mnist.cli import run

run()
