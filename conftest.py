# Nameko's pytest plugin no longer patches eventlet: do it before anything
# imports sockets, or AMQP reads block the whole test process.
import eventlet

eventlet.monkey_patch()

pytest_plugins = ["shared.testing.fixtures"]
