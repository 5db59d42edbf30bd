@echo off
rem Shared by run.bat and test.bat: %1 = extras ("" or "test").
set "ROOT=%~dp0.."
set "VENV=%ROOT%\.venv"
set "EXTRAS=%~1"
if not exist "%VENV%\Scripts\python.exe" (
  echo Создаю окружение .venv ... 1>&2
  py -3 -m venv "%VENV%" 2>nul || python -m venv "%VENV%" || (
    echo Не найден Python 3.10 или новее. Установите его с python.org и повторите. 1>&2
    exit /b 1
  )
)
set "SPEC=%ROOT%"
set "STAMP=%VENV%\installed-base.toml"
if not "%EXTRAS%"=="" (
  set "SPEC=%ROOT%[%EXTRAS%]"
  set "STAMP=%VENV%\installed-%EXTRAS%.toml"
)
fc /b "%ROOT%\pyproject.toml" "%STAMP%" >nul 2>&1
if errorlevel 1 (
  echo Устанавливаю зависимости в .venv ... 1>&2
  "%VENV%\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --upgrade pip || exit /b 1
  "%VENV%\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check -e "%SPEC%" || exit /b 1
  copy /y "%ROOT%\pyproject.toml" "%STAMP%" >nul
)
exit /b 0
