"""Make a private CA and a broker certificate with the openssl command, for Mosquitto's TLS listener."""
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

DEFAULT_NAMES = ("127.0.0.1", "localhost")
HOST_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$")
CA_DAYS, SERVER_DAYS = 3650, 825  # 825 days: the longest server certificate lifetime clients still accept


def openssl_binary() -> str:
    found = shutil.which("openssl")
    if not found:
        raise RuntimeError("openssl not found: install the openssl package, then run this again")
    return found


def _run(*args: str) -> None:
    done = subprocess.run([openssl_binary(), *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr.strip()[-400:]}")


def _alt_names(names: list[str]) -> str:
    kinds = ["IP" if name.replace(".", "").isdigit() or ":" in name else "DNS" for name in names]
    return ",".join(f"{kind}:{name}" for kind, name in zip(kinds, names))


def write_private_ca(tls_dir: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write ca.crt/ca.key and server.crt/server.key (SAN: 127.0.0.1, localhost and `names`); return the paths.

    Keys are EC P-256 and mode 600. Keep ca.key offline in production: only the broker needs server.key,
    and clients need ca.crt alone.
    """
    bad = [name for name in names or [] if not HOST_NAME.match(name)]
    if bad:
        raise ValueError(f"--tls-host takes a DNS name or an IP address, not {bad}")
    names = list(dict.fromkeys([*DEFAULT_NAMES, *(names or [])]))
    tls_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: tls_dir / name for name in ("ca.crt", "ca.key", "server.crt", "server.key")}
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _run("req", "-x509", *curve, "-keyout", str(paths["ca.key"]), "-out", str(paths["ca.crt"]),
         "-days", str(CA_DAYS), "-subj", "/CN=WES private MQTT CA",
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    with tempfile.TemporaryDirectory() as scratch:
        csr, ext = Path(scratch) / "server.csr", Path(scratch) / "server.ext"
        ext.write_text(f"subjectAltName={_alt_names(names)}\nbasicConstraints=critical,CA:FALSE\n"
                       "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
        _run("req", *curve, "-keyout", str(paths["server.key"]), "-out", str(csr), "-subj", f"/CN={names[0]}")
        _run("x509", "-req", "-in", str(csr), "-CA", str(paths["ca.crt"]), "-CAkey", str(paths["ca.key"]),
             "-set_serial", f"0x{secrets.token_hex(16)}", "-days", str(SERVER_DAYS), "-extfile", str(ext),
             "-out", str(paths["server.crt"]))
    for key in ("ca.key", "server.key"):
        paths[key].chmod(0o600)
    return paths


def tls_listener(port: int, tls_dir: Path, bind: str | None = None) -> str:
    """Return the Mosquitto lines of a TLS listener using the certificates in tls_dir."""
    tls_dir = tls_dir.resolve()
    return (f"listener {port}{' ' + bind if bind else ''}\ncafile {tls_dir / 'ca.crt'}\n"
            f"certfile {tls_dir / 'server.crt'}\nkeyfile {tls_dir / 'server.key'}\ntls_version tlsv1.2\n")
