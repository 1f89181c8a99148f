"""A throwaway SMTP server (aiosmtpd) for SMTPTransport's integration tests.

Prints the port it listens on (127.0.0.1) once ready, then serves until stdin closes or it is
killed, so a test that dies cannot leave it behind. Each message is saved in the --maildir
folder as N.eml (the content as received, dot-stuffing removed) and N.json (envelope, TLS,
the client's port); each QUIT adds a line to quits.log.
"""
import argparse
import itertools
import json
import logging
import os
import socket
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    def __init__(self, folder, reject, defer):
        self.folder = folder
        self.reject = reject
        self.defer = defer
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.reject:
            return f'550 5.1.1 <{address}>: no such user'
        if address == self.defer:
            return f'450 4.2.0 <{address}>: mailbox busy, try again later'
        envelope.rcpt_tos.append(address)
        return '250 2.1.5 OK'

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            number = next(self.counter)
        base = os.path.join(self.folder, str(number))
        with open(base + '.eml', 'wb') as file:
            file.write(envelope.original_content)
        record = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'mail_options': envelope.mail_options,
            'tls': session.ssl is not None or server.transport.get_extra_info('sslcontext') is not None,
            'peer_port': session.peer[1],
        }
        # Written last and renamed into place: a .json file means the message is complete.
        with open(base + '.tmp', 'w') as file:
            json.dump(record, file)
        os.rename(base + '.tmp', base + '.json')
        return '250 2.0.0 queued as %d' % number

    async def handle_QUIT(self, server, session, envelope):
        with open(os.path.join(self.folder, 'quits.log'), 'a') as file:
            file.write(f'{session.peer[1]}\n')
        return '221 2.0.0 Bye'


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def main():
    # aiosmtpd warns about AUTH without STARTTLS (fine over implicit TLS) and deprecated fields.
    warnings.simplefilter('ignore')
    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument('--tls', choices=['starttls', 'implicit', 'none'], default='none')
    parser.add_argument('--auth', help='user:password; AUTH becomes required')
    parser.add_argument('--maildir', required=True)
    parser.add_argument('--cert')
    parser.add_argument('--key')
    parser.add_argument('--reject-rcpt')
    parser.add_argument('--defer-rcpt')
    parser.add_argument('--port', type=int, help='listen on this port instead of a free one')
    options = parser.parse_args()

    os.makedirs(options.maildir, exist_ok=True)
    handler = Recorder(options.maildir, options.reject_rcpt, options.defer_rcpt)
    arguments = {'hostname': '127.0.0.1', 'port': options.port or free_port(), 'decode_data': False}
    if options.tls != 'none':
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.cert, options.key)
        if options.tls == 'starttls':
            arguments.update(tls_context=context, require_starttls=True)
        else:
            arguments.update(ssl_context=context)
    if options.auth:
        user, password = options.auth.split(':', 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            valid = isinstance(auth_data, LoginPassword) \
                and auth_data.login == user.encode() and auth_data.password == password.encode()
            # handled=False: aiosmtpd itself then answers 535 to a failure.
            return AuthResult(success=valid, handled=False)

        arguments.update(authenticator=authenticator, auth_required=True)
        if options.tls == 'implicit':
            # aiosmtpd only sees STARTTLS as TLS; the implicit TLS socket is encrypted too.
            arguments.update(auth_require_tls=False)

    controller = Controller(handler, **arguments)
    controller.start()
    print(controller.port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == '__main__':
    main()
