# Nameko's pytest plugin no longer patches eventlet: do it before anything
# imports sockets, or AMQP reads block the whole test process.
import os

import eventlet

eventlet.monkey_patch()

# Staff passwords at the lowest argon2 cost, for every service the tests start (processes inherit
# it): the suite signs in thousands of times, and the cost is a setting, not what is tested.
os.environ.setdefault("GATEWAY_PASSWORD_TIME_COST", "1")
os.environ.setdefault("GATEWAY_PASSWORD_MEMORY_KIB", "1024")

# The kernel's queues as classic queues (config BROKER.queue_type): the suite makes and drops thousands
# of queues a minute on one broker node, which quorum queues bring to a halt; the tests of quorum
# queues (the migration, the three-node cluster) set quorum themselves.
os.environ.setdefault("EVENT_QUEUE_TYPE", "classic")

pytest_plugins = ["shared.testing.fixtures"]
