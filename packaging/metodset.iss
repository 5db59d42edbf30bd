; Inno Setup script of МетодСеть: a per-user installer of the one-folder build dist\metodset\.
; Step by step (Russian): docs/windows-build.md. Needs Inno Setup 6.3 or newer, run from the checkout:
;
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\metodset.iss
;
; → dist\installer\MetodSet-0.1.0-setup.exe
;
; Per-user: no administrator rights, the program goes to %LOCALAPPDATA%\Programs\MetodSet ({userpf}),
; the shortcut to the user's Start menu. The program's data is never in the program folder: the
; database, backups, keys and settings live in the user's data folder (%LOCALAPPDATA%\MetodSet,
; platformdirs; the first-run wizard may choose another), saved documents where the user saves them
; (file dialogs start in Documents). The uninstaller removes the program folder only.

#ifndef AppVersion
  #error Версия не указана: ISCC /DAppVersion=0.1.0 packaging\metodset.iss (см. docs/windows-build.md)
#endif

#define AppName "МетодСеть"
#define AppExe "metodset.exe"
#define Bundle "..\dist\metodset"

#if !FileExists(AddBackslash(SourcePath) + Bundle + "\" + AppExe)
  #error Нет dist\metodset\metodset.exe: сначала соберите программу (docs/windows-build.md, шаг 4)
#endif

[Setup]
; The same AppId in every version: a new installer upgrades the installed program in place.
AppId={{3A3664E3-E5ED-4E9E-A5F8-FDA734E7FE73}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription=Установка программы {#AppName}
PrivilegesRequired=lowest
DefaultDirName={userpf}\MetodSet
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir=..\dist\installer
OutputBaseFilename=MetodSet-{#AppVersion}-setup
SetupIconFile=..\resources\icons\metodset.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade must not keep the libraries of the previous version beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "Учёт сетевого взаимодействия методической службы"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; WorkingDir: "{userdocs}"; Flags: nowait postinstall skipifsilent
