" Vim syntax file for syn scripts (the SystemTap language as syn runs it).
" Installed as $(datadir)/vim/vimfiles/syntax/syn.vim, with ftdetect/syn.vim.
if exists("b:current_syntax")
  finish
endif

syn keyword synStatement   probe global function private return next break continue delete
syn keyword synConditional if else
syn keyword synRepeat      while for foreach in limit
syn keyword synException   try catch
syn keyword synType        long string
syn keyword synProbeFamily begin end error never timer kernel module process perf net kprobe tcp
syn match   synMacro       "@\(define\|cast\|var\|defined\|entry\|choose_defined\|const\|count\|sum\|min\|max\|avg\|variance\|hist_log\|hist_linear\)\>"
syn match   synMacroUse    "@[A-Za-z_][A-Za-z0-9_]*"
syn match   synTarget      "\$\$\?[A-Za-z_][A-Za-z0-9_]*"
syn match   synArgument    "\$[0-9#]\+\|@[0-9#]\+"
syn match   synNumber      "\<\(0[xX]\x\+\|0\o*\|[1-9]\d*\)\>"
syn region  synString      start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=synFormat,synEscape
syn match   synEscape      contained "\\."
syn match   synFormat      contained "%[-+ #0]*\(\d\+\|\*\)\?\(\.\(\d\+\|\*\)\)\?[diouxXsScpbmM%]"
syn match   synOperator    "<<<\|=\~\|!\~"
syn region  synPreproc     start="%(" end="%?" contains=synString,synNumber
syn match   synPreproc     "%[:)]"
syn region  synEmbedded    start="%{" end="%}"
syn keyword synTodo        contained TODO FIXME XXX
syn region  synComment     start="/\*" end="\*/" contains=synTodo
syn match   synComment     "//.*$" contains=synTodo
syn match   synComment     "#.*$" contains=synTodo

hi def link synStatement   Statement
hi def link synConditional Conditional
hi def link synRepeat      Repeat
hi def link synException   Exception
hi def link synType        Type
hi def link synProbeFamily Identifier
hi def link synMacro       Macro
hi def link synMacroUse    Macro
hi def link synTarget      Special
hi def link synArgument    Special
hi def link synNumber      Number
hi def link synString      String
hi def link synEscape      SpecialChar
hi def link synFormat      SpecialChar
hi def link synOperator    Operator
hi def link synPreproc     PreProc
hi def link synEmbedded    PreProc
hi def link synTodo        Todo
hi def link synComment     Comment

let b:current_syntax = "syn"
