#pragma once

// What every input generator writes through: appends to a large buffer and writes it out in big
// blocks, as per-record stdio or iostreams would make a generator slower than the importers it
// feeds. Without a file it only counts, so that a generator can measure a share of its output
// before it writes it.

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace lundi::bench {

class BufferedOutput
{
  public:
    // program names the generator in the message of a failed write.
    BufferedOutput(FILE* file, const char* program) : m_file(file), m_program(program)
    {
        m_buffer.reserve(Capacity + 4096);
    }
    ~BufferedOutput() { flush(); }
    BufferedOutput(const BufferedOutput&) = delete;
    BufferedOutput& operator=(const BufferedOutput&) = delete;

    BufferedOutput& text(std::string_view text)
    {
        m_buffer.append(text);
        return *this;
    }
    BufferedOutput& integer(int64_t value)
    {
        char digits[24];
        m_buffer.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
        return *this;
    }
    // The shortest text that reads back as the same double.
    BufferedOutput& number(double value)
    {
        char digits[32];
        m_buffer.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
        return *this;
    }
    // Call after each record: writes the buffer out once it is full.
    void endRecord()
    {
        if (m_buffer.size() >= Capacity)
            flush();
    }
    void flush()
    {
        if (m_file && !m_buffer.empty() &&
            std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_file) != m_buffer.size()) {
            std::fprintf(stderr, "%s: ", m_program);
            std::perror("write");
            std::exit(1);
        }
        m_written += m_buffer.size();
        m_buffer.clear();
    }
    uint64_t bytes() const { return m_written + m_buffer.size(); }

  private:
    static constexpr size_t Capacity = size_t(4) << 20;
    FILE* m_file;
    const char* m_program;
    std::string m_buffer;
    uint64_t m_written = 0;
};

} // namespace lundi::bench
