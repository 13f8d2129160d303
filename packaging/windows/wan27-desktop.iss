; Inno Setup 6.3+ script: per-user install (no admin), Start menu entry, uninstaller.
; Built by packaging/build_windows.ps1, which passes /DAppVersion=<version>.
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6F1C2B9E-7E38-4C1B-9B7A-2A7D5E0C9F27}
AppName=Wan 2.7 Desktop
AppVersion={#AppVersion}
AppVerName=Wan 2.7 Desktop {#AppVersion}
AppPublisher=Wan 2.7 Desktop contributors
; {autopf} is %LOCALAPPDATA%\Programs for a per-user install (the default, no admin) and
; Program Files when the user picks "install for all users" in the privileges dialog.
DefaultDirName={autopf}\Wan 2.7 Desktop
DefaultGroupName=Wan 2.7 Desktop
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=wan27-desktop-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\wan27-desktop.ico
UninstallDisplayIcon={app}\wan27-desktop.exe
UninstallDisplayName=Wan 2.7 Desktop
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Qt 6.11 runs on 64-bit Windows 10 1809 (build 17763) or later.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; The app's own licence; Qt's LGPL texts and all notices are installed with the app.
LicenseFile=..\..\LICENSE
; Close a running copy before replacing its files.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Simplified Chinese is an unofficial Inno Setup translation in some releases: use it when present.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\wan27-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: files a newer version no longer ships must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[UninstallDelete]
; The uninstaller removes what [Files] installed; this also takes anything that appeared in the
; bundle's folder since (it is ours alone: user data lives elsewhere), so no folder is left behind.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Icons]
Name: "{autoprograms}\Wan 2.7 Desktop"; Filename: "{app}\wan27-desktop.exe"
Name: "{autodesktop}\Wan 2.7 Desktop"; Filename: "{app}\wan27-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\wan27-desktop.exe"; Description: "{cm:LaunchProgram,Wan 2.7 Desktop}"; Flags: nowait postinstall skipifsilent
