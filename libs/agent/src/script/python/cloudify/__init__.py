"""nestify's stand-in for Cloudify's `cloudify` package inside script-plugin Python scripts.

`from cloudify import ctx` gives a ctx whose attributes and calls travel to the operation's ctx
proxy (CTX_SOCKET_URL), the same proxy the `ctx` command uses, so Python scripts written for
Cloudify run unchanged. Exceptions from `cloudify.exceptions` raised out of the script end the
operation the way they would in Cloudify (see cloudify.exceptions).
"""

from cloudify._proxy import ctx  # noqa: F401
from cloudify import exceptions as _exceptions

_exceptions.install_hook()
