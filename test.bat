@echo off
rem Runs the whole test suite (GUI tests offscreen), one worker per core. Arguments go to pytest
rem (a later -n 0 runs the tests one at a time).
chcp 65001 >nul
setlocal
call "%~dp0tools\venv.bat" "test" || exit /b 1
set QT_QPA_PLATFORM=offscreen
cd /d "%~dp0"
"%~dp0.venv\Scripts\python.exe" -m pytest -n auto %*
exit /b %errorlevel%
