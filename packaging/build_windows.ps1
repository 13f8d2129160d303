# Build the Windows bundle and its per-user installer. One command (PowerShell, from the repo):
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
# Needs Python 3.10+ and Inno Setup 6.3+ (iscc.exe on PATH or in its default folder).
# Code signing runs only when a certificate is configured (see README, "Signing"):
#   WINDOWS_CERT_PFX_BASE64 (the .pfx, base64) and WINDOWS_CERT_PASSWORD.
# $env:SKIP_PIP = "1" skips installing packaging\requirements-build.lock (python must then have
# exactly the locked versions already). Outputs in dist\: the installer, the bundle's bill of
# materials (CycloneDX JSON) and SHA256SUMS over both.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

function Find-SignTool {
    $onPath = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    # The Windows SDK does not put signtool on PATH; take the newest x64 one.
    $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
    $found = Get-ChildItem $kits -Recurse -Filter signtool.exe -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -match "\\x64\\" } | Sort-Object FullName -Descending | Select-Object -First 1
    if (-not $found) { throw "signtool.exe not found (install the Windows SDK)" }
    return $found.FullName
}

function Invoke-Sign([string[]] $files) {
    if (-not $env:WINDOWS_CERT_PFX_BASE64) { return }
    $signtool = Find-SignTool
    $pfx = Join-Path ([IO.Path]::GetTempPath()) "wan27-cert.pfx"
    [IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERT_PFX_BASE64))
    try {
        foreach ($file in $files) {
            & $signtool sign /f $pfx /p $env:WINDOWS_CERT_PASSWORD /tr http://timestamp.digicert.com /td sha256 /fd sha256 $file
            if ($LASTEXITCODE -ne 0) { throw "signing $file failed" }
        }
    } finally {
        Remove-Item $pfx -Force
    }
}

# The build's inputs are the locked, hashed wheels, never whatever the index serves today.
if ($env:SKIP_PIP -ne "1") {
    python -m pip install --quiet --require-hashes --only-binary :all: -r packaging\requirements-build.lock
    if ($LASTEXITCODE -ne 0) { throw "installing the locked build inputs failed" }
}
python packaging\build_lock.py check
if ($LASTEXITCODE -ne 0) { throw "python does not have the versions in packaging\requirements-build.lock" }
python packaging\render_icons.py | Out-Null
if ($LASTEXITCODE -ne 0) { throw "rendering the icons failed" }
python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller packaging\wan27_desktop.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$version = python -c "import wan27_desktop; print(wan27_desktop.__version__)"

# The app is a windowed (GUI-subsystem) program: PowerShell would not wait for it, so start it
# and wait explicitly for its exit code.
$selftestData = Join-Path ([IO.Path]::GetTempPath()) ("wan27-selftest-" + [guid]::NewGuid())
$env:WAN27_DATA_DIR = $selftestData
$selftest = Start-Process -FilePath "dist\wan27-desktop\wan27-desktop.exe" -ArgumentList "--self-test" -Wait -PassThru
Remove-Item Env:\WAN27_DATA_DIR
Remove-Item $selftestData -Recurse -Force -ErrorAction SilentlyContinue
if ($selftest.ExitCode -ne 0) { throw "self-test of the bundle failed (exit code $($selftest.ExitCode))" }

Invoke-Sign @("dist\wan27-desktop\wan27-desktop.exe")   # sign the app before it goes into the installer
# What the bundle is made of, read from the bundle itself.
$sbom = "dist\wan27-desktop-$version-windows.cdx.json"
python packaging\sbom.py --lenient dist\wan27-desktop $sbom
if ($LASTEXITCODE -ne 0) { throw "writing the bill of materials failed" }
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\wan27-desktop.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
$setup = "dist\wan27-desktop-$version-windows-setup.exe"
Invoke-Sign @($setup)
if (-not $env:WINDOWS_CERT_PFX_BASE64) {
    Write-Host "WINDOWS_CERT_PFX_BASE64 not set: installer and app are not signed (SmartScreen will warn)"
}
# Last: the installer is final once signed.
python packaging\checksums.py dist $setup $sbom
if ($LASTEXITCODE -ne 0) { throw "writing SHA256SUMS failed" }
Get-Item $setup, $sbom, dist\SHA256SUMS
