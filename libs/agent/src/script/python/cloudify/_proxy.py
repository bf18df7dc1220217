"""The ctx object of `from cloudify import ctx`, talking to the operation's ctx proxy."""

import json
import os
import urllib.request


class CtxProxyError(Exception):
    """The proxy could not serve a request (unknown attribute, missing key...)."""


def call(*args):
    """Sends one request (`ctx a b c` as a list) to the proxy and answers its payload."""
    url = os.environ.get('CTX_SOCKET_URL')
    if not url:
        raise CtxProxyError('CTX_SOCKET_URL is not set (is this run by an operation?)')
    body = json.dumps({'args': list(args)}).encode('utf-8')
    request = urllib.request.Request(
        url, data=body, headers={'Content-Type': 'application/json'}, method='POST')
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read().decode('utf-8'))
    kind = answer.get('type')
    if kind == 'result':
        return answer.get('payload')
    if kind == 'stop_operation':
        return None
    error = answer.get('payload') or {}
    raise CtxProxyError('{0}: {1}'.format(error.get('type', 'Error'), error.get('message')))


class _Attributes(object):
    """Reads plain attributes (`ctx.node.id`) from the proxy under a fixed prefix."""

    _plain = ()

    def __init__(self, *prefix):
        self._prefix = prefix

    def __getattr__(self, name):
        if name in self._plain:
            return call(*(self._prefix + (name,)))
        raise AttributeError(name)


class RuntimeProperties(dict):
    """A dict of the instance's runtime properties whose changes are sent to the proxy.

    Reads come from the copy loaded when it was created; writes go through at once (a key is
    taken as a dotted path by the proxy, as with the `ctx` command).
    """

    def __init__(self, prefix):
        super(RuntimeProperties, self).__init__(call(*(prefix + ('runtime-properties',))) or {})
        self._prefix = prefix + ('runtime-properties',)

    def __setitem__(self, key, value):
        call(*(self._prefix + (key, value)))
        super(RuntimeProperties, self).__setitem__(key, value)

    def __delitem__(self, key):
        call(*(self._prefix + (key, None)))
        super(RuntimeProperties, self).__delitem__(key)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key, *default):
        value = super(RuntimeProperties, self).pop(key, *default)
        call(*(self._prefix + (key, None)))
        return value


class Node(_Attributes):
    _plain = ('id', 'name', 'type', 'type_hierarchy', 'number_of_instances')

    @property
    def properties(self):
        return call(*(self._prefix + ('properties',))) or {}


class Instance(_Attributes):
    _plain = ('id', 'index', 'host_ip', 'relationships')

    @property
    def runtime_properties(self):
        return RuntimeProperties(self._prefix)

    def update(self, *_args, **_kwargs):
        return call(*(self._prefix + ('update',)))

    def refresh(self, force=False):
        return call(*(self._prefix + ('refresh', bool(force))))


class RelationshipSubject(object):
    def __init__(self, side):
        self.node = Node(side, 'node')
        self.instance = Instance(side, 'instance')


class Operation(_Attributes):
    _plain = ('name', 'retry_number', 'max_retries', 'relationship')

    def retry(self, message=None, retry_after=None):
        return call('operation', 'retry', message, retry_after)


def _message(message, args):
    text = str(message)
    return text % args if args else text


class Logger(object):
    """`ctx.logger`: Python logging's call style (`info('%s done', name)`)."""

    def _log(self, level, message, args):
        call('logger', level, _message(message, args))

    def debug(self, message, *args, **_kwargs):
        self._log('debug', message, args)

    def info(self, message, *args, **_kwargs):
        self._log('info', message, args)

    def warning(self, message, *args, **_kwargs):
        self._log('warning', message, args)

    warn = warning

    def error(self, message, *args, **_kwargs):
        self._log('error', message, args)

    def exception(self, message, *args, **_kwargs):
        self._log('error', message, args)


class _Identified(_Attributes):
    _plain = ('id',)


class Ctx(_Attributes):
    """The operation context, as Cloudify's script plugin offers it to Python scripts."""

    _plain = ('type', 'task_type', 'task_id', 'task_name', 'task_target', 'execution_id',
              'workflow_id', 'tenant_name')

    def __init__(self):
        super(Ctx, self).__init__()
        self.node = Node('node')
        self.instance = Instance('instance')
        self.source = RelationshipSubject('source')
        self.target = RelationshipSubject('target')
        self.operation = Operation('operation')
        self.logger = Logger()
        self.deployment = _Identified('deployment')
        self.blueprint = _Identified('blueprint')

    def returns(self, value):
        return call('returns', value)

    def abort_operation(self, message=None):
        return call('abort_operation', message)

    def retry_operation(self, message=None, retry_after=None):
        return call('retry_operation', message, retry_after)

    def send_event(self, event):
        return call('send_event', event)

    def get_resource(self, resource_path):
        return call('get_resource', resource_path)

    def get_resource_and_render(self, resource_path, template_variables=None):
        return call('get_resource_and_render', resource_path, template_variables or {})

    def download_resource(self, resource_path, target_path=None):
        return call('download_resource', resource_path, target_path)

    def download_resource_and_render(self, resource_path, target_path=None,
                                     template_variables=None):
        return call('download_resource_and_render', resource_path, template_variables or {},
                    target_path)


ctx = Ctx()
