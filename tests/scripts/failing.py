# A test script of this project: an ordinary bug, which must show this script's own traceback.
import tensorflow as tf

print("before", tf.__name__)


def broken():
    return {}["no such key"]  # line 8


broken()
