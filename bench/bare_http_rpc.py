"""The bare stack the staff pages are measured against: a nameko HTTP entrypoint making one RPC to a
nameko service that does nothing (no database, no kernel), each its own `nameko run` process."""
from nameko.rpc import RpcProxy, rpc
from nameko.web.handlers import http


class BareRpc:
    name = "bare_rpc"

    @rpc
    def ping(self):
        return {}


class BareHttp:
    name = "bare_http"
    bare = RpcProxy("bare_rpc")

    @http("GET", "/bare")
    def bare_read(self, request):
        return 200, {"Content-Type": "application/json"}, "{}" if self.bare.ping() == {} else "?"
