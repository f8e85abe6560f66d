"""gunicorn settings of the dashboard, read from the project root
(``gunicorn -c gunicorn.conf.py dashboards.app:server``; ``--workers`` on the command line
overrides the number of processes).

Threads: a request waiting on a slow client (a large upload over a slow line) holds one
thread of a process, not the whole process, so the other visitors' pages are still served.
A request body over the upload limit is refused from its declared length before being read
(``MAX_CONTENT_LENGTH``, set by ``dashboards.app``).
"""

worker_class = "gthread"
workers = 2
#: Requests served at once by each process.
threads = 8
