@echo off
rem Starts МетодСеть: the GUI without arguments, the command line with them.
chcp 65001 >nul
setlocal
call "%~dp0tools\venv.bat" "" || exit /b 1
"%~dp0.venv\Scripts\python.exe" "%~dp0main.py" %*
exit /b %errorlevel%
