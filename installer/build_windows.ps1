<#
.SYNOPSIS
    Build CopperLoop's Windows installer: bundle (PyInstaller), frozen self-test, setup.exe (Inno Setup).

.DESCRIPTION
    Run from any folder on a 64-bit Windows 10/11 machine with Python 3.11 (x64) and Inno Setup 6.5 or
    newer installed (see installer\README.md). The steps:

      1. a clean virtual environment .venv-build\ with CopperLoop and PyInstaller (skipped with -NoVenv,
         e.g. in CI where the Python is already a fresh one);
      2. THIRD_PARTY_LICENSES regenerated from the packages actually installed;
      3. the one-folder bundle dist\CopperLoop\ from installer\copperloop.spec;
      4. the frozen self-test (dist\CopperLoop\copperloop-cli.exe selftest, Qt offscreen): the build stops
         here if any step fails;
      5. the installer dist\CopperLoop-<version>-setup.exe from installer\copperloop.iss, with the version
         read from pyproject.toml.

.PARAMETER Python
    The Python 3.11 (x64) to build with (default: "py -3.11" through the launcher if present, else "python").

.PARAMETER Iscc
    Path of ISCC.exe (default: found on PATH or in the usual Inno Setup 6 folders).

.PARAMETER NoVenv
    Install into the given Python instead of a fresh .venv-build\.

.PARAMETER SkipInstaller
    Stop after the frozen self-test (no Inno Setup needed).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$NoVenv,
    [switch]$SkipInstaller
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Native {
    # Run a program and stop the build when it fails ($ErrorActionPreference does not cover exit codes).
    param([Parameter(Mandatory)][string]$FilePath, [string[]]$Arguments = @())
    Write-Host ">> $FilePath $($Arguments -join ' ')"
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$FilePath failed with exit code $LASTEXITCODE" }
}

function Find-Iscc {
    if ($Iscc) { return $Iscc }
    $onPath = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    )
    foreach ($candidate in $candidates) { if (Test-Path $candidate) { return $candidate } }
    throw "ISCC.exe not found: install Inno Setup 6.5+ (choco install innosetup) or pass -Iscc <path>"
}

# --- 1. Python environment --------------------------------------------------------------------------
if (-not $Python) {
    if (Get-Command "py" -ErrorAction SilentlyContinue) { $Python = "py" ; $PythonArgs = @("-3.11") }
    else { $Python = "python"; $PythonArgs = @() }
} else { $PythonArgs = @() }

if ($NoVenv) {
    $py = (& $Python @PythonArgs -c "import sys; print(sys.executable)").Trim()
} else {
    $venv = Join-Path $Root ".venv-build"
    if (-not (Test-Path (Join-Path $venv "Scripts\python.exe"))) {
        Invoke-Native $Python ($PythonArgs + @("-m", "venv", $venv))
    }
    $py = Join-Path $venv "Scripts\python.exe"
}
$bits = (& $py -c "import struct; print(struct.calcsize('P') * 8)").Trim()
$pyVersion = (& $py -c "import sys; print('%d.%d' % sys.version_info[:2])").Trim()
if ($bits -ne "64" -or $pyVersion -ne "3.11") { throw "$py is Python $pyVersion ($bits-bit); a 64-bit Python 3.11 is needed" }

Invoke-Native $py @("-m", "pip", "install", "--upgrade", "pip")
Invoke-Native $py @("-m", "pip", "install", ".", "pyinstaller>=6.10")

# --- 2. version and licences ------------------------------------------------------------------------
$version = (& $py -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
# Windows' file version is up to four numbers: 1.2.0rc1 gives 1.2.0 there, 1.2.0rc1 everywhere else.
if ($version -match '^\d+(\.\d+){0,3}') { $numericVersion = $Matches[0] }
else { throw "pyproject.toml version '$version' does not start with numbers" }
Write-Host "CopperLoop $version"
Invoke-Native $py @("installer\third_party_licenses.py")

# --- 3. bundle --------------------------------------------------------------------------------------
Invoke-Native $py @("-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", "dist",
                    "--workpath", "build\pyinstaller", "installer\copperloop.spec")

# --- 4. frozen self-test ----------------------------------------------------------------------------
$env:QT_QPA_PLATFORM = "offscreen"
try {
    Invoke-Native (Join-Path $Root "dist\CopperLoop\copperloop-cli.exe") @("--version")
    Invoke-Native (Join-Path $Root "dist\CopperLoop\copperloop-cli.exe") @("selftest", "--verbose")
} finally {
    Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
}
if ($SkipInstaller) { Write-Host "Bundle ready in dist\CopperLoop (installer skipped)"; exit 0 }

# --- 5. installer -----------------------------------------------------------------------------------
$isccPath = Find-Iscc
Invoke-Native $isccPath @("/DMyAppVersion=$version", "/DMyAppNumericVersion=$numericVersion",
                          "installer\copperloop.iss")
$setup = Join-Path $Root "dist\CopperLoop-$version-setup.exe"
if (-not (Test-Path $setup)) { throw "Inno Setup finished but $setup is missing" }
Write-Host "Installer: $setup ($([math]::Round((Get-Item $setup).Length / 1MB)) MB)"
