@echo off
rem Runs the whole test suite (GUI tests offscreen). Arguments go to pytest.
chcp 65001 >nul
setlocal
call "%~dp0tools\venv.bat" "test" || exit /b 1
set QT_QPA_PLATFORM=offscreen
cd /d "%~dp0"
"%~dp0.venv\Scripts\python.exe" -m pytest %*
exit /b %errorlevel%
