# Build the Windows bundle and its per-user installer. One command (PowerShell, from the repo):
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
# Needs Python 3.10+ and Inno Setup 6 (iscc.exe on PATH or in its default folder).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
python -m pip install --quiet ".[packaging]"
python packaging\render_icons.py | Out-Null
python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller packaging\wan27_desktop.spec
$version = python -c "import wan27_desktop; print(wan27_desktop.__version__)"
& dist\wan27-desktop\wan27-desktop.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test of the bundle failed" }
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\wan27-desktop.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
# Code signing runs only when a certificate is configured (see README, "Signing").
if ($env:WINDOWS_CERT_PFX_BASE64) {
    $pfx = Join-Path $env:RUNNER_TEMP "cert.pfx"
    [IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERT_PFX_BASE64))
    Get-ChildItem dist\*.exe | ForEach-Object {
        signtool sign /f $pfx /p $env:WINDOWS_CERT_PASSWORD /tr http://timestamp.digicert.com /td sha256 /fd sha256 $_.FullName
    }
}
Get-ChildItem dist\*.exe
