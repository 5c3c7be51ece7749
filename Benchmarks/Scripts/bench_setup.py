"""What batch.py, load.py and inspector.py share: where things are, the issuer and audience every minted token
carries, release builds of the programs measured, and minting with MintTokens."""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))  # Benchmarks/Scripts
BENCHMARKS = os.path.dirname(HERE)  # the benchmark package
ROOT = os.path.dirname(BENCHMARKS)  # the LayabAuth package
ISSUER, AUDIENCE = "https://issuer.bench", "bench-api"


def work_folder(name):
    """A folder of the run's files, under Benchmarks/.build (ignored by git)."""
    folder = os.path.join(BENCHMARKS, ".build", name)
    os.makedirs(folder, exist_ok=True)
    return folder


def build_release(*root_products):
    """Builds MintTokens (the benchmark package) and `root_products` (the root package, with every trait, as
    `make` builds it: the example apps exist only with their framework's trait) in release mode; returns the
    paths of the root products' binaries."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "MintTokens"], cwd=BENCHMARKS, check=True, stdout=subprocess.DEVNULL)
    for product in root_products:
        subprocess.run(["swift", "build", "-c", "release", "--enable-all-traits", "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return [os.path.join(ROOT, ".build", "release", product) for product in root_products]


def mint(count, tokens_path, jwks_path, padding=0):
    """Writes `count` distinct RS256 tokens, one per line, and the JWK Set that verifies them."""
    command = [os.path.join(BENCHMARKS, ".build", "release", "MintTokens"), str(count), tokens_path, jwks_path, ISSUER, AUDIENCE]
    if padding:
        command.append(str(padding))
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def machine():
    """The machine line every report starts with."""
    return f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
