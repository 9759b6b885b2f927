/**
 * Top-level module names, for telling where code lives when a profiler writes a path relative to
 * `sys.path` (py-spy's `json/encoder.py`, `random.py`, `certifi/core.py`) or only a basename.
 */

/** The standard library's top-level modules and packages (CPython 3.8–3.15, and Python 2's that differ). */
export const STDLIB_MODULES = new Set(
  (
    '__future__ _abc _aix_support _ast _asyncio _bisect _blake2 _bootsubprocess _bz2 _codecs _collections ' +
    '_collections_abc _compat_pickle _compression _contextvars _crypt _csv _ctypes _datetime _decimal _elementtree ' +
    '_functools _hashlib _heapq _imp _io _json _locale _lsprof _lzma _markupbase _md5 _multibytecodec ' +
    '_multiprocessing _opcode _operator _osx_support _pickle _posixsubprocess _py_abc _pydecimal _pydatetime ' +
    '_pyio _pylong _pyrepl _queue _random _sha1 _sha256 _sha3 _sha512 _signal _sitebuiltins _socket _sqlite3 ' +
    '_sre _ssl _stat _statistics _string _strptime _struct _symtable _thread _threading_local _tokenize ' +
    '_tracemalloc _uuid _warnings _weakref _weakrefset _zoneinfo abc aifc annotationlib antigravity argparse ' +
    'array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii binhex bisect builtins bz2 ' +
    'cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall ' +
    'compression concurrent configparser contextlib contextvars copy copyreg crypt csv ctypes curses ' +
    'dataclasses datetime dbm decimal difflib dis distutils doctest email encodings ensurepip enum errno ' +
    'faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath getopt getpass ' +
    'gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib ' +
    'inspect io ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap ' +
    'marshal math mimetypes mmap modulefinder msilib msvcrt multiprocessing netrc nis nntplib ntpath ' +
    'nturl2path numbers opcode operator optparse os ossaudiodev pathlib pdb pickle pickletools pipes ' +
    'pkgutil platform plistlib poplib posix posixpath pprint profile profiling pstats pty pwd py_compile ' +
    'pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy ' +
    'sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket ' +
    'socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep ' +
    'struct subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios ' +
    'textwrap this threading time timeit tkinter token tokenize tomllib trace traceback tracemalloc tty ' +
    'turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref ' +
    'webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo ' +
    'BaseHTTPServer ConfigParser Queue SocketServer StringIO UserDict cPickle cStringIO commands copy_reg ' +
    'httplib repr sets urllib2 urlparse'
  ).split(' '),
);

/** Installed packages seen most often in Python profiles (top-level import names). */
export const PACKAGE_MODULES = new Set(
  (
    'aiohttp alembic anyio attr attrs boto3 botocore celery certifi cffi chardet charset_normalizer click ' +
    'cryptography django fastapi flask gevent google greenlet grpc gunicorn h11 httpcore httpx idna jinja2 ' +
    'jwt kombu lxml markupsafe matplotlib numpy packaging pandas pip pkg_resources psycopg psycopg2 ' +
    'pyarrow pydantic pydantic_core pytest pytz redis requests rich scipy setuptools six sklearn sniffio ' +
    'sqlalchemy starlette tensorflow torch tornado tqdm typing_extensions urllib3 uvicorn uvloop werkzeug ' +
    'wheel yaml zmq _pytest pluggy'
  ).split(' '),
);

/** The top-level module of a path relative to `sys.path` (`json/encoder.py` → `json`), or '' for any other path. */
export function topModule(file: string): string {
  if (!file || file.startsWith('/') || file.startsWith('<') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('.'))
    return '';
  const end = file.search(/[/\\]/);
  const top = end < 0 ? file.replace(/\.(py|pyc|pyi|so|pyd)$/, '') : file.slice(0, end);
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(top) ? top : '';
}
