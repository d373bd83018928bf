"""Generate a broker access kit: one MQTT login per site and for the centre, and the ACL.

Each site may write only `wes/v1/<its site>/up/#` and read only `wes/v1/<its site>/down/#` (plus the
centre's presence); the centre reads every site's `up` topics and writes their `down` topics. The
MQTT user name of a site IS its site id, so the ACL needs one `pattern` line for all sites.
With --tls it also writes a private CA, a broker certificate and a TLS listener (port 8883) into the config;
the servers then take --mqtt-url mqtts://<broker>:8883 --mqtt-ca-file <out>/tls/ca.crt.
"""
import argparse
import re
import secrets
import subprocess
import sys
from pathlib import Path

from .broker_tls import tls_listener, write_private_ca
from .mosquitto import find_mosquitto

CENTRAL_USER = "central"
SITE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")

ACL = """# Written by wes-mqtt-access. %u is the MQTT user name, which for a site is its site id.
user {central}
topic read wes/v1/+/up/#
topic write wes/v1/+/down/#
topic readwrite wes/v1/central/state

pattern write wes/v1/%u/up/#
pattern read wes/v1/%u/down/#
pattern read wes/v1/central/state
"""


def passwd_binary() -> str:
    broker = find_mosquitto()
    candidates = [Path(broker).with_name("mosquitto_passwd")] if broker else []
    candidates += [Path("/usr/bin/mosquitto_passwd"), Path("/usr/local/bin/mosquitto_passwd")]
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("mosquitto_passwd not found: install the mosquitto package")


def write_access_kit(out_dir: str | Path, sites: list[str], tls: bool = False, tls_names: list[str] | None = None,
                     tls_port: int = 8883) -> dict[str, str]:
    """Write passwords, acl and one secret file per login (with tls, a CA and broker cert) into out_dir.

    Return {user: password}.
    """
    bad = [site for site in sites if not SITE_ID.match(site) or site == CENTRAL_USER]
    if bad or not sites:
        raise ValueError(f"site ids must be short slugs (letters, digits, - and _), not {bad or 'none'}")
    out = Path(out_dir)
    (out / "secrets").mkdir(parents=True, exist_ok=True)
    passwords_file = out / "passwords"
    passwords_file.unlink(missing_ok=True)
    passwords_file.touch(mode=0o600)
    logins = {CENTRAL_USER: secrets.token_urlsafe(24), **{site: secrets.token_urlsafe(24) for site in sites}}
    for user, password in logins.items():
        subprocess.run([passwd_binary(), "-b", str(passwords_file), user, password], check=True,
                       capture_output=True, timeout=30)
        secret = out / "secrets" / f"{user}.password"
        secret.write_text(password + "\n")
        secret.chmod(0o600)
    (out / "acl").write_text(ACL.format(central=CENTRAL_USER))
    listener = "# Include from your broker config; run wes-mqtt-access with --tls for a TLS listener on WAN links.\n"
    if tls:
        write_private_ca(out / "tls", tls_names)
        listener = "# TLS only: clients trust tls/ca.crt (--mqtt-ca-file).\n" + tls_listener(tls_port, out / "tls")
    (out / "mosquitto.conf").write_text(
        listener + "allow_anonymous false\n"
        f"password_file {passwords_file.resolve()}\nacl_file {(out / 'acl').resolve()}\n")
    return logins


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wes-mqtt-access", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", action="append", required=True, help="a site id (repeat for each site)")
    parser.add_argument("--out", required=True, help="folder for passwords, acl, mosquitto.conf and secrets/")
    parser.add_argument("--tls", action="store_true",
                        help="also write a private CA and broker certificate (tls/) and a TLS listener in mosquitto.conf")
    parser.add_argument("--tls-host", action="append", default=[], metavar="NAME",
                        help="another DNS name or IP address of the broker for its certificate (repeat; "
                             "127.0.0.1 and localhost are always in it)")
    parser.add_argument("--tls-port", type=int, default=8883, help="port of the TLS listener (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        logins = write_access_kit(args.out, args.site, tls=args.tls, tls_names=args.tls_host, tls_port=args.tls_port)
    except (ValueError, RuntimeError) as err:
        print(f"wes-mqtt-access: {err}", file=sys.stderr)
        return 2
    print(f"Wrote logins for {', '.join(logins)} to {args.out} (secrets/<user>.password, mode 600).")
    if args.tls:
        print(f"Wrote a private CA and the broker's certificate to {args.out}/tls: give clients tls/ca.crt "
              "(--mqtt-ca-file) and keep tls/ca.key offline.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
