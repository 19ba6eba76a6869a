/* placeholder */ typedef int is248_placeholder;
