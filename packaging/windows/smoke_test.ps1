# Install with the setup program as a user would (per user, silently), check what it installed, run
# the installed app's --self-test, check it was built from the expected commit, then uninstall and
# check nothing of it is left. Run by the release workflow after build_windows.ps1:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\smoke_test.ps1 dist\wan27-desktop-0.1.0-windows-setup.exe
# $env:EXPECTED_COMMIT (default: $env:GITHUB_SHA, set by GitHub Actions) is the commit the build recorded.
param([Parameter(Mandatory = $true)][string] $Setup)
$ErrorActionPreference = "Stop"

$expected = if ($env:EXPECTED_COMMIT) { $env:EXPECTED_COMMIT } else { $env:GITHUB_SHA }
# {autopf} and {autoprograms} of a per-user install (wan27-desktop.iss).
$app = Join-Path $env:LOCALAPPDATA "Programs\Wan 2.7 Desktop"
$shortcut = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs\Wan 2.7 Desktop.lnk"
$log = Join-Path ([IO.Path]::GetTempPath()) "wan27-setup.log"

$install = Start-Process -FilePath $Setup -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER", "/LOG=`"$log`"" -Wait -PassThru
if ($install.ExitCode -ne 0) { Get-Content $log; throw "setup failed (exit code $($install.ExitCode))" }
foreach ($path in @("$app\wan27-desktop.exe", "$app\_internal", "$app\unins000.exe", $shortcut)) {
    if (-not (Test-Path $path)) { throw "setup did not install $path" }
}

# The build's record: version, commit and date (the app shows it in --version and Help > About).
$record = Get-Content "$app\_internal\build_info.json" -Raw | ConvertFrom-Json
Write-Host "installed build: $($record.version), commit $($record.commit), built $($record.built)"
if ($expected -and $record.commit -ne $expected) { throw "the installed app was built from $($record.commit), not $expected" }

# A windowed (GUI-subsystem) program: wait for it explicitly; its report goes to a file.
$data = Join-Path ([IO.Path]::GetTempPath()) ("wan27-selftest-" + [guid]::NewGuid())
$report = "$data.txt"
$env:WAN27_DATA_DIR = $data
$selftest = Start-Process -FilePath "$app\wan27-desktop.exe" -ArgumentList "--self-test" -Wait -PassThru -RedirectStandardOutput $report
Remove-Item Env:\WAN27_DATA_DIR
if (Test-Path $report) { Get-Content $report }
if ($selftest.ExitCode -ne 0) { throw "the installed app's self-test failed (exit code $($selftest.ExitCode))" }

# The uninstaller hands over to a copy of itself in %TEMP% and returns: wait until the folder is gone.
$uninstall = Start-Process -FilePath "$app\unins000.exe" -ArgumentList "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART" -Wait -PassThru
if ($uninstall.ExitCode -ne 0) { throw "uninstall failed (exit code $($uninstall.ExitCode))" }
$deadline = (Get-Date).AddSeconds(120)
while ((Test-Path $app) -and (Get-Date) -lt $deadline) { Start-Sleep -Seconds 1 }
if (Test-Path $app) {
    Get-ChildItem $app -Recurse | ForEach-Object { Write-Host "left behind: $($_.FullName)" }
    throw "uninstalling left $app behind"
}
if (Test-Path $shortcut) { throw "uninstalling left the Start menu entry behind" }
Write-Host "smoke test: installed, self-tested and uninstalled cleanly"
