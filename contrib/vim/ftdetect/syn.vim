" syn scripts: *.syn, and files that start with #!...syn
autocmd BufRead,BufNewFile *.syn setfiletype syn
autocmd BufRead * if getline(1) =~# '^#!.*\<syn\>' | setfiletype syn | endif
