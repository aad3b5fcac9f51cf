"""Rowan's test harness.

Helpers for Rowan's integration tests, standard library only (plus
aiosmtpd, which runs in its own /usr/bin/python3 process):

  tap      a tiny TAP runner (what automake's TAP driver reads)
  workdir  a temporary directory removed at exit
  certs    a throw-away PKI made with the openssl command
  dovecot  a private Dovecot (IMAP, POP3) on free loopback ports
  smtpd    a private SMTP submission server that records what it receives
  tmux     drive a program in a real terminal and read its screen
  fill     generate Maildir messages quickly (also a command-line tool)
  maildir  write Maildir++ folders directly
  proxy    a TCP relay used by the Dovecot fixture
  procs    process, port and log helpers shared by the fixtures

smtp_server.py and pane_run.py are programs the fixtures start in their
own processes (the SMTP server; the wrapper around a tmux program).

Every fixture is a context manager; leaving the block (even through an
exception) stops its processes, and an atexit hook catches what a test
forgot.  Servers listen on 127.0.0.1 only.
"""
