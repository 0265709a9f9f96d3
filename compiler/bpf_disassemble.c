/* syn -p4: BPF instructions as readable assembly, each run of instructions
 * headed by the script line it came from. */
#include <inttypes.h>

#include "compiler/bpf_program.h"

static const char *alu_name(int op)
{
    switch (op) {
    case BPF_ADD: return "+=";
    case BPF_SUB: return "-=";
    case BPF_MUL: return "*=";
    case BPF_DIV: return "/=";
    case BPF_OR: return "|=";
    case BPF_AND: return "&=";
    case BPF_LSH: return "<<=";
    case BPF_RSH: return ">>=";
    case BPF_MOD: return "%=";
    case BPF_XOR: return "^=";
    case BPF_MOV: return "=";
    case BPF_ARSH: return "s>>=";
    default: return "?=";
    }
}

static const char *jump_name(int op)
{
    switch (op) {
    case BPF_JEQ: return "==";
    case BPF_JGT: return ">";
    case BPF_JGE: return ">=";
    case BPF_JSET: return "&";
    case BPF_JNE: return "!=";
    case BPF_JSGT: return "s>";
    case BPF_JSGE: return "s>=";
    case BPF_JLT: return "<";
    case BPF_JLE: return "<=";
    case BPF_JSLT: return "s<";
    case BPF_JSLE: return "s<=";
    default: return "?";
    }
}

static const char *size_name(int size)
{
    switch (size) {
    case BPF_B: return "u8";
    case BPF_H: return "u16";
    case BPF_W: return "u32";
    default: return "u64";
    }
}

static void describe(syn_buffer *out, const syn_bpf_program *program, uint32_t index)
{
    const struct bpf_insn *insn = &program->instructions[index];
    int class = BPF_CLASS(insn->code);
    switch (class) {
    case BPF_ALU64:
        if (BPF_OP(insn->code) == BPF_NEG)
            syn_buffer_printf(out, "r%d = -r%d", insn->dst_reg, insn->dst_reg);
        else if (BPF_SRC(insn->code) == BPF_X)
            syn_buffer_printf(out, "r%d %s r%d", insn->dst_reg, alu_name(BPF_OP(insn->code)), insn->src_reg);
        else
            syn_buffer_printf(out, "r%d %s %d", insn->dst_reg, alu_name(BPF_OP(insn->code)), insn->imm);
        return;
    case BPF_ALU:
        if (BPF_OP(insn->code) == BPF_END) {
            syn_buffer_printf(out, "r%d = %s%d r%d", insn->dst_reg, BPF_SRC(insn->code) == BPF_TO_BE ? "be" : "le",
                              insn->imm, insn->dst_reg);
            return;
        }
        syn_buffer_printf(out, "(code 0x%02x)", insn->code);
        return;
    case BPF_LD: {
        uint64_t value = (uint32_t)insn->imm | ((uint64_t)(uint32_t)insn[1].imm << 32);
        if (insn->src_reg == 1)
            syn_buffer_printf(out, "r%d = map[fd %d]", insn->dst_reg, insn->imm);
        else if (insn->src_reg == 2)
            syn_buffer_printf(out, "r%d = &map_value[fd %d] + %d", insn->dst_reg, insn->imm, insn[1].imm);
        else
            syn_buffer_printf(out, "r%d = %" PRId64 " ll", insn->dst_reg, (int64_t)value);
        return;
    }
    case BPF_LDX:
        syn_buffer_printf(out, "r%d = *(%s *)(r%d %+d)", insn->dst_reg, size_name(BPF_SIZE(insn->code)),
                          insn->src_reg, insn->off);
        return;
    case BPF_ST:
        syn_buffer_printf(out, "*(%s *)(r%d %+d) = %d", size_name(BPF_SIZE(insn->code)), insn->dst_reg, insn->off,
                          insn->imm);
        return;
    case BPF_STX:
        if (BPF_MODE(insn->code) == BPF_ATOMIC)
            syn_buffer_printf(out, "lock *(%s *)(r%d %+d) += r%d", size_name(BPF_SIZE(insn->code)), insn->dst_reg,
                              insn->off, insn->src_reg);
        else
            syn_buffer_printf(out, "*(%s *)(r%d %+d) = r%d", size_name(BPF_SIZE(insn->code)), insn->dst_reg,
                              insn->off, insn->src_reg);
        return;
    case BPF_JMP:
        switch (BPF_OP(insn->code)) {
        case BPF_JA: syn_buffer_printf(out, "goto %+d", insn->off); return;
        case BPF_CALL: syn_buffer_printf(out, "call %d", insn->imm); return;
        case BPF_EXIT: syn_buffer_append_string(out, "exit"); return;
        default:
            if (BPF_SRC(insn->code) == BPF_X)
                syn_buffer_printf(out, "if r%d %s r%d goto %+d", insn->dst_reg, jump_name(BPF_OP(insn->code)),
                                  insn->src_reg, insn->off);
            else
                syn_buffer_printf(out, "if r%d %s %d goto %+d", insn->dst_reg, jump_name(BPF_OP(insn->code)),
                                  insn->imm, insn->off);
            return;
        }
    default:
        syn_buffer_printf(out, "(code 0x%02x)", insn->code);
    }
}

void syn_bpf_disassemble(syn_buffer *out, const syn_bpf_program *program)
{
    unsigned last_line = 0;
    const syn_source *last_source = NULL;
    for (uint32_t i = 0; i < program->instruction_count; i++) {
        const syn_location *location = &program->locations[i];
        if (location->source && (location->first_line != last_line || location->source != last_source)) {
            size_t length = 0;
            const char *line = syn_source_line(location->source, location->first_line, &length);
            syn_buffer_printf(out, "; %s:%u: %.*s\n", location->source->name, location->first_line,
                              (int)(length > 100 ? 100 : length), line ? line : "");
            last_line = location->first_line;
            last_source = location->source;
        }
        syn_buffer_printf(out, "%5u: ", i);
        describe(out, program, i);
        syn_buffer_append_char(out, '\n');
        if (BPF_CLASS(program->instructions[i].code) == BPF_LD) {
            i++;
        }
    }
}
