; Inno Setup 6 script of CopperLoop's Windows installer.
;
; Build the bundle first (installer\build_windows.ps1 does both steps), then:
;   ISCC.exe /DMyAppVersion=0.1.0 installer\copperloop.iss
; The version comes from pyproject.toml through build_windows.ps1; the bundle from dist\CopperLoop.
;
; Per-user install without administrator rights by default (a recycler's laptop is often locked down);
; the first page lets a user with admin rights install for all users instead.
;
; CopperLoop's project workbooks are ordinary .xlsx files (the scenarios are an extra sheet), on purpose:
; planners open and edit them in Excel too. A distinct extension would take that away, so the installer
; does not claim .xlsx: it adds CopperLoop to the "Open with" list of .xlsx files and an "Open with
; CopperLoop" entry to their right-click menu, and leaves Excel the default.
;
; Chinese (Simplified) setup messages: ChineseSimplified.isl is an official translation shipped in
; Inno Setup's Languages folder from version 6.5.0 on; before that it was an unofficial download.
; The check below stops the build with a clear message on an older Inno Setup.

#ifndef MyAppVersion
  #error MyAppVersion is not defined: run installer\build_windows.ps1, or ISCC /DMyAppVersion=x.y.z
#endif
#if Ver < EncodeVer(6, 5, 0)
  #error Inno Setup 6.5.0 or newer is required (it ships the Chinese Simplified translation)
#endif
#ifnexist AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
  #error Languages\ChineseSimplified.isl is missing from the Inno Setup folder
#endif

#define MyAppName "CopperLoop"
#define MyAppPublisher "CopperLoop contributors"
#ifndef MyAppNumericVersion
  #define MyAppNumericVersion MyAppVersion
#endif
#define MyAppExeName "CopperLoop.exe"
#define MyAppCliName "copperloop-cli.exe"
#define MyProgId "CopperLoop.Workbook"
#ifndef BundleDir
  #define BundleDir "..\dist\CopperLoop"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

[Setup]
; AppId identifies the installation for upgrades and the uninstaller: never change it.
AppId={{0D867F70-AACF-4C31-94CB-7F176DE0248F}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher={#MyAppPublisher}
AppCopyright=MIT licence
VersionInfoVersion={#MyAppNumericVersion}
VersionInfoProductName={#MyAppName}
VersionInfoDescription={#MyAppName} setup
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
; The bundle is 64-bit Python and Qt: 64-bit Windows only (x64, or Arm64 Windows 11 by emulation).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
; Close a running CopperLoop before replacing its files (its autosave keeps the user's work).
CloseApplications=yes
RestartApplications=no
SetupIconFile=icons\copperloop.ico
UninstallDisplayIcon={app}\{#MyAppExeName}
UninstallDisplayName={#MyAppName} {#MyAppVersion}
WizardStyle=modern
ShowLanguageDialog=auto
Compression=lzma2/max
SolidCompression=yes
OutputDir={#OutputDir}
OutputBaseFilename=CopperLoop-{#MyAppVersion}-setup

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[CustomMessages]
english.OpenWithCopperLoop=Open with CopperLoop
chinesesimplified.OpenWithCopperLoop=用 CopperLoop 打开
english.WorkbookType=CopperLoop network workbook
chinesesimplified.WorkbookType=CopperLoop 网络工作簿
english.OpenWithTask=Add "Open with CopperLoop" to the menu of Excel workbooks (.xlsx)
chinesesimplified.OpenWithTask=在 Excel 工作簿（.xlsx）的右键菜单中添加“用 CopperLoop 打开”
english.SelfTest=Check the installation (self-test)
chinesesimplified.SelfTest=检查安装（自检）
english.Samples=Sample networks
chinesesimplified.Samples=示例网络
english.Licences=Third-party licences
chinesesimplified.Licences=第三方许可证
english.Integration=Windows integration:
chinesesimplified.Integration=Windows 集成：

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "openwith"; Description: "{cm:OpenWithTask}"; GroupDescription: "{cm:Integration}"

[Files]
; The whole one-folder bundle: both executables and _internal\ (Python, Qt, solvers, data, licences).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The licences once more beside the programs, with an extension Windows opens in Notepad.
Source: "..\THIRD_PARTY_LICENSES"; DestDir: "{app}"; DestName: "THIRD_PARTY_LICENSES.txt"; Flags: ignoreversion

[InstallDelete]
; An upgrade replaces the bundle's libraries wholesale: files a newer version no longer ships must not
; linger in _internal\ and be picked up by the new one.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#MyAppName}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"
Name: "{autoprograms}\{#MyAppName}\{cm:Samples}"; Filename: "{app}\_internal\sample_networks"
Name: "{autoprograms}\{#MyAppName}\{cm:Licences}"; Filename: "{app}\THIRD_PARTY_LICENSES.txt"
; The self-test in a console that stays open, so its PASS/FAIL lines can be read (or sent to support).
Name: "{autoprograms}\{#MyAppName}\{cm:SelfTest}"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#MyAppCliName}"" selftest"; WorkingDir: "{app}"; IconFilename: "{app}\{#MyAppExeName}"
Name: "{autoprograms}\{#MyAppName}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; Tasks: desktopicon

[Registry]
; A ProgID for CopperLoop's verb on workbooks; it is never made the default of .xlsx.
Root: HKA; Subkey: "Software\Classes\{#MyProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:WorkbookType}"; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\{#MyProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#MyAppExeName},0"; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\{#MyProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#MyAppExeName}"" ""%1"""; Tasks: openwith
; The "Open with" list of .xlsx files.
Root: HKA; Subkey: "Software\Classes\.xlsx\OpenWithProgids"; ValueType: string; ValueName: "{#MyProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#MyAppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#MyAppName}"; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#MyAppExeName}\SupportedTypes"; ValueType: string; ValueName: ".xlsx"; ValueData: ""; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\Applications\{#MyAppExeName}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#MyAppExeName}"" ""%1"""; Tasks: openwith
; A right-click entry on every .xlsx, whichever program owns the extension (Excel, WPS, LibreOffice).
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.xlsx\shell\CopperLoop"; ValueType: string; ValueName: ""; ValueData: "{cm:OpenWithCopperLoop}"; Flags: uninsdeletekey; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.xlsx\shell\CopperLoop"; ValueType: string; ValueName: "Icon"; ValueData: "{app}\{#MyAppExeName},0"; Tasks: openwith
Root: HKA; Subkey: "Software\Classes\SystemFileAssociations\.xlsx\shell\CopperLoop\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#MyAppExeName}"" ""%1"""; Tasks: openwith

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent
