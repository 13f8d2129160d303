; Inno Setup script: per-user install (no admin), Start menu entry, uninstaller.
; Built by packaging/build_windows.ps1, which passes /DAppVersion=<version>.
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6F1C2B9E-7E38-4C1B-9B7A-2A7D5E0C9F27}
AppName=Wan 2.7 Desktop
AppVersion={#AppVersion}
AppPublisher=Wan 2.7 Desktop contributors
DefaultDirName={localappdata}\Programs\Wan 2.7 Desktop
DefaultGroupName=Wan 2.7 Desktop
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=wan27-desktop-{#AppVersion}-windows-setup
SetupIconFile=..\..\build\icons\wan27-desktop.ico
UninstallDisplayIcon={app}\wan27-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
LicenseFile=..\..\resources\licenses\LGPL-3.0.txt

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\wan27-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Wan 2.7 Desktop"; Filename: "{app}\wan27-desktop.exe"
Name: "{autodesktop}\Wan 2.7 Desktop"; Filename: "{app}\wan27-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\wan27-desktop.exe"; Description: "{cm:LaunchProgram,Wan 2.7 Desktop}"; Flags: nowait postinstall skipifsilent
