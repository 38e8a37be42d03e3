"""The course's lessons, one module each, written as the tutorial wrote them.

Each module has the tutorial's constants at the top and `main(run=None, **constants)`, which
builds the graph, trains it in a Session and prints the tutorial's log. Their table (numbers,
networks, published accuracies, modules per engine) is `tf1_mnist.catalog.LESSONS`.
"""
